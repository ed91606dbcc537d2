package diff

import (
	"strings"
	"unicode/utf8"
)

// span is a run of tokens in both texts (eq), or a change: tokens a0..a1 of the old text replaced
// by tokens b0..b1 of the new one, either possibly empty. Spans alternate between the two kinds.
type span struct {
	eq             bool
	a0, a1, b0, b1 int
}

// spans groups the marks left by myers into spans.
func spans(del, ins []bool) []span {
	var sp []span
	i, j := 0, 0
	for i < len(del) || j < len(ins) {
		s := span{a0: i, b0: j}
		if i < len(del) && j < len(ins) && !del[i] && !ins[j] {
			s.eq = true
			for i < len(del) && j < len(ins) && !del[i] && !ins[j] {
				i++
				j++
			}
		} else {
			for i < len(del) && del[i] {
				i++
			}
			for j < len(ins) && ins[j] {
				j++
			}
			if i == s.a0 && j == s.b0 {
				panic("diff: unmarked tokens left over on one side")
			}
		}
		s.a1, s.b1 = i, j
		sp = append(sp, s)
	}
	return sp
}

// slide moves each pure insertion or deletion, where its equal neighbours allow it, to the place
// where its edges fall best: "A\n\n<del>B\n\n</del>C" rather than "A<del>\n\nB</del>\n\nC". It
// may empty an equal span; mergeEqualities drops those.
func slide(sp []span, ta, tb *text) {
	for k := 1; k+1 < len(sp); k++ {
		s := &sp[k]
		if s.eq || !sp[k-1].eq || !sp[k+1].eq {
			continue
		}
		t, lo, s0, s1, hi := ta, sp[k-1].a0, s.a0, s.a1, sp[k+1].a1
		if s.a0 < s.a1 {
			if s.b0 < s.b1 {
				continue // a replacement cannot slide
			}
		} else {
			t, lo, s0, s1, hi = tb, sp[k-1].b0, s.b0, s.b1, sp[k+1].b1
		}
		for s0 > lo && t.tok(s0-1) == t.tok(s1-1) {
			s0--
			s1--
		}
		best, bestScore := s0, -1
		for {
			if score := t.boundaryScore(s0) + t.boundaryScore(s1); score >= bestScore {
				best, bestScore = s0, score
			}
			if s1 == hi || t.tok(s0) != t.tok(s1) {
				break
			}
			s0++
			s1++
		}
		d := best - s.a0
		if s.a0 == s.a1 {
			d = best - s.b0
		}
		sp[k-1].a1 += d
		sp[k-1].b1 += d
		s.a0 += d
		s.a1 += d
		s.b0 += d
		s.b1 += d
		sp[k+1].a0 += d
		sp[k+1].b0 += d
	}
}

// boundaryScore says how natural an edge of a change is before token i: the ends of the text and
// blank lines first, then line breaks, then white space, then punctuation, never inside a word
// (which the tokens already prevent).
func (t *text) boundaryScore(i int) int {
	n := len(t.off) - 1
	switch {
	case i == 0 || i == n:
		return 6
	case strings.HasSuffix(t.tok(i-1), "\n"):
		if i == 1 || strings.HasSuffix(t.tok(i-2), "\n") { // a token ending a line is all space
			return 5
		}
		return 4
	case strings.HasSuffix(t.tok(i), "\n"):
		return 3
	}
	before, after := classOf(lastRune(t.tok(i-1))), classOf(firstRune(t.tok(i)))
	switch {
	case before == classSpace || after == classSpace:
		return 2
	case before == classOther || after == classOther:
		return 1
	}
	return 0
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// mergeEqualities folds into the changes around it each equal run no longer than either change
// (in runes, the longer side of each change counting), as diff-match-patch's semantic cleanup
// does: "<del>chat noir</del><ins>chien blanc</ins>" rather than
// "<del>chat</del><ins>chien</ins> <del>noir</del><ins>blanc</ins>". A run holding a line break
// stays, so that changes to two paragraphs read as two. Merging can make the changes around a
// further run long enough to fold it in turn, so the work is done on a stack.
func mergeEqualities(sp []span, ta, tb *text) []span {
	type sized struct {
		span
		ra, rb int // runes on each side
	}
	out := make([]sized, 0, len(sp))
	for _, s := range sp {
		if s.eq && s.a0 == s.a1 {
			continue // emptied by slide
		}
		c := sized{s, utf8.RuneCountInString(ta.slice(s.a0, s.a1)), utf8.RuneCountInString(tb.slice(s.b0, s.b1))}
		for !c.eq && len(out) > 0 {
			n := len(out)
			p := out[n-1]
			if !p.eq { // the equal run between them was emptied by slide
				c = sized{span{false, p.a0, c.a1, p.b0, c.b1}, p.ra + c.ra, p.rb + c.rb}
				out = out[:n-1]
				continue
			}
			if n < 2 {
				break
			}
			e, p := p, out[n-2]
			if e.ra > max(p.ra, p.rb) || e.ra > max(c.ra, c.rb) || strings.Contains(ta.slice(e.a0, e.a1), "\n") {
				break
			}
			c = sized{span{false, p.a0, c.a1, p.b0, c.b1}, p.ra + e.ra + c.ra, p.rb + e.rb + c.rb}
			out = out[:n-2]
		}
		out = append(out, c)
	}
	merged := make([]span, len(out))
	for i, c := range out {
		merged[i] = c.span
	}
	return merged
}
