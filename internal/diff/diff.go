// Package diff shows what changes between two versions of a text, word by word: what an
// amendment changes against the current text of a draft, or how two versions of a draft differ.
//
// Words compares in two passes. The first compares whole lines, so that untouched paragraphs cost
// nothing and a moved or rewritten paragraph is never matched word for word against an unrelated
// one; the second compares words inside each run of changed lines. Both passes use Myers' O(ND)
// algorithm in its linear-space form, as GNU diff does, with GNU diff's bound on the work spent
// on very different texts (see myers.go). A cleanup then slides each insertion or deletion to the
// most natural word or paragraph boundary and folds the short equal runs found between two
// changes into them (as diff-match-patch's semantic cleanup does), so that a rewritten phrase
// reads as one deletion and one insertion rather than a comb of single words.
//
// Inline and SideBySide render the result as HTML with <del> and <ins>, which screen readers
// announce, never colour alone.
package diff

import (
	"slices"
	"strconv"
	"strings"
)

// Op says whether a chunk is in both texts, only the new one or only the old one.
type Op int

// The operations, in the order they come in a change: a Delete chunk comes before the Insert
// chunk that replaces it.
const (
	Equal Op = iota
	Insert
	Delete
)

func (o Op) String() string {
	switch o {
	case Equal:
		return "equal"
	case Insert:
		return "insert"
	case Delete:
		return "delete"
	}
	return "op(" + strconv.Itoa(int(o)) + ")"
}

// Chunk is a run of consecutive tokens with the same operation, with the text between them, so
// that the Equal and Delete chunks joined give the old text exactly and the Equal and Insert
// chunks joined give the new one.
type Chunk struct {
	Op   Op
	Text string
}

// Words returns the word-level difference from a to b. Tokens are runs of letters and digits,
// runs of white space (each ending at a line break) and single other characters, so that a
// changed accent, apostrophe or comma is found but a word is never cut in two. Chunks are never
// empty, two neighbours never have the same operation, and in a change the Delete chunk comes
// first. The result depends only on a and b.
func Words(a, b string) []Chunk {
	if a == b {
		if a == "" {
			return nil
		}
		return []Chunk{{Equal, a}}
	}
	pre, suf := commonLines(a, b)
	var chunks []Chunk
	if pre > 0 {
		chunks = append(chunks, Chunk{Equal, a[:pre]})
	}
	chunks = appendMiddle(chunks, a[pre:len(a)-suf], b[pre:len(b)-suf])
	if suf > 0 {
		chunks = appendChunk(chunks, Equal, a[len(a)-suf:])
	}
	return chunks
}

// commonLines returns the length of the common prefix and suffix of a and b made of whole lines,
// which need neither tokens nor comparison: an amendment often changes one sentence of a long
// text. The cuts fall at the start of a line so that the line pass sees whole lines.
func commonLines(a, b string) (pre, suf int) {
	n := min(len(a), len(b))
	for pre < n && a[pre] == b[pre] {
		pre++
	}
	pre = strings.LastIndexByte(a[:pre], '\n') + 1
	n -= pre
	for suf < n && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	if suf == 0 || lineStart(a, pre, len(a)-suf) && lineStart(b, pre, len(b)-suf) {
		return pre, suf
	}
	i := strings.IndexByte(a[len(a)-suf:], '\n')
	if i < 0 {
		return pre, 0
	}
	return pre, suf - (i + 1)
}

// lineStart reports whether position i of s starts a line, given that pre starts one.
func lineStart(s string, pre, i int) bool {
	return i == pre || s[i-1] == '\n'
}

// appendMiddle appends the chunks of the difference from a to b, which share no whole first or
// last line.
func appendMiddle(chunks []Chunk, a, b string) []Chunk {
	ta, tb := newText(a), newText(b)

	// Line pass.
	ids := make(map[string]int32)
	lia, lib := ta.lineIDs(ids), tb.lineIDs(ids)
	delLine, insLine := make([]bool, len(lia)), make([]bool, len(lib))
	newMyers().diff(lia, lib, delLine, insLine)

	// Word pass, inside each run of changed lines.
	clear(ids)
	w := wordPass{ta: &ta, tb: &tb, ids: ids,
		del: make([]bool, len(ta.off)-1), ins: make([]bool, len(tb.off)-1),
		delSolid: make([]bool, len(ta.solid)), insSolid: make([]bool, len(tb.solid)),
	}
	ta.ids, tb.ids = make([]int32, len(ta.solid)), make([]int32, len(tb.solid))
	w.m = newMyers()
	for _, s := range spans(delLine, insLine) {
		if !s.eq {
			w.compare(ta.lines[s.a0], ta.lines[s.a1], tb.lines[s.b0], tb.lines[s.b1])
		}
	}

	sp := spans(w.del, w.ins)
	slide(sp, &ta, &tb)
	sp = mergeEqualities(sp, &ta, &tb)
	for _, s := range sp {
		if s.eq {
			chunks = appendChunk(chunks, Equal, ta.slice(s.a0, s.a1))
			continue
		}
		if s.a0 < s.a1 {
			chunks = appendChunk(chunks, Delete, ta.slice(s.a0, s.a1))
		}
		if s.b0 < s.b1 {
			chunks = appendChunk(chunks, Insert, tb.slice(s.b0, s.b1))
		}
	}
	return chunks
}

// wordPass compares runs of changed lines token by token. Myers only sees the solid tokens
// (words and punctuation): white space would match everywhere between unrelated words, doubling
// the tokens and making the edit script longer and slower to find for nothing. The white space
// between two matched solid tokens is then compared on its own.
type wordPass struct {
	ta, tb             *text
	ids                map[string]int32 // ids of the solid tokens seen so far
	m                  *myers
	del, ins           []bool // marks on all tokens
	delSolid, insSolid []bool // marks on solid tokens

	// Buffers for compare.
	run                int32   // number of the run of lines being compared
	inA, inB           []int32 // for each id, the last run that has it in ta, in tb
	keptA, keptB       []int   // solid tokens of the run whose id is on both sides
	idsA, idsB         []int32 // their ids
	delKeptA, insKeptB []bool
}

// compare marks the changed tokens of ta[xoff:xlim] against tb[yoff:ylim].
func (w *wordPass) compare(xoff, xlim, yoff, ylim int) {
	ta, tb := w.ta, w.tb
	i, _ := slices.BinarySearch(ta.solid, xoff)
	ilim, _ := slices.BinarySearch(ta.solid, xlim)
	j, _ := slices.BinarySearch(tb.solid, yoff)
	jlim, _ := slices.BinarySearch(tb.solid, ylim)
	w.compareSolid(i, ilim, j, jlim)
	x, y := xoff, yoff // start of the tokens between two matched solid tokens
	for {
		switch {
		case i < ilim && w.delSolid[i]:
			i++
		case j < jlim && w.insSolid[j]:
			j++
		case i < ilim && j < jlim:
			w.gap(x, ta.solid[i], y, tb.solid[j])
			x, y = ta.solid[i]+1, tb.solid[j]+1
			i++
			j++
		case i == ilim && j == jlim:
			w.gap(x, xlim, y, ylim)
			return
		default:
			panic("diff: unmatched solid tokens left over on one side")
		}
	}
}

// compareSolid marks the changed solid tokens i to ilim of ta against j to jlim of tb. A token
// found only on one side is changed whatever the script: as GNU diff does, Myers does not see
// it, which shortens the sequences (an inserted sentence often brings new words) without
// changing the shortest script.
func (w *wordPass) compareSolid(i, ilim, j, jlim int) {
	ta, tb := w.ta, w.tb
	ta.assignIDs(w.ids, i, ilim) // only here: most lines are often equal
	tb.assignIDs(w.ids, j, jlim)
	if n := len(w.ids); len(w.inA) < n {
		w.inA = append(w.inA, make([]int32, n-len(w.inA))...)
		w.inB = append(w.inB, make([]int32, n-len(w.inB))...)
	}
	w.run++
	for _, id := range ta.ids[i:ilim] {
		w.inA[id] = w.run
	}
	for _, id := range tb.ids[j:jlim] {
		w.inB[id] = w.run
	}
	w.keptA, w.idsA = keep(w.keptA[:0], w.idsA[:0], ta.ids, i, ilim, w.inB, w.run)
	w.keptB, w.idsB = keep(w.keptB[:0], w.idsB[:0], tb.ids, j, jlim, w.inA, w.run)
	w.delKeptA = slices.Grow(w.delKeptA[:0], len(w.idsA))[:len(w.idsA)]
	w.insKeptB = slices.Grow(w.insKeptB[:0], len(w.idsB))[:len(w.idsB)]
	clear(w.delKeptA)
	clear(w.insKeptB)
	w.m.diff(w.idsA, w.idsB, w.delKeptA, w.insKeptB)
	for k := i; k < ilim; k++ {
		w.delSolid[k] = true
	}
	for k, d := range w.delKeptA {
		w.delSolid[w.keptA[k]] = d
	}
	for k := j; k < jlim; k++ {
		w.insSolid[k] = true
	}
	for k, d := range w.insKeptB {
		w.insSolid[w.keptB[k]] = d
	}
}

// keep appends to kept and keptIDs the index and id of the tokens i to ilim whose id is in the
// current run of the other side.
func keep(kept []int, keptIDs []int32, ids []int32, i, ilim int, inOther []int32, run int32) ([]int, []int32) {
	for k := i; k < ilim; k++ {
		if inOther[ids[k]] == run {
			kept = append(kept, k)
			keptIDs = append(keptIDs, ids[k])
		}
	}
	return kept, keptIDs
}

// gap marks the tokens of ta[xoff:xlim] and tb[yoff:ylim], which hold no matched solid token,
// keeping only their common first and last tokens: the white space around a changed word.
func (w *wordPass) gap(xoff, xlim, yoff, ylim int) {
	ta, tb := w.ta, w.tb
	for xoff < xlim && yoff < ylim && ta.tok(xoff) == tb.tok(yoff) {
		xoff++
		yoff++
	}
	for xoff < xlim && yoff < ylim && ta.tok(xlim-1) == tb.tok(ylim-1) {
		xlim--
		ylim--
	}
	for x := xoff; x < xlim; x++ {
		w.del[x] = true
	}
	for y := yoff; y < ylim; y++ {
		w.ins[y] = true
	}
}

// appendChunk appends text to the last chunk if it has the same operation: the equal lines cut
// off by commonLines meet the equal words that start or end the middle.
func appendChunk(chunks []Chunk, op Op, text string) []Chunk {
	if n := len(chunks); n > 0 && chunks[n-1].Op == op {
		chunks[n-1].Text += text
		return chunks
	}
	return append(chunks, Chunk{op, text})
}

// Stats returns the number of words inserted and deleted. A word is a run of letters and digits,
// where an apostrophe or a hyphen between two letters does not end it ("l’amendement",
// "porte-parole"), as a word processor counts them.
func Stats(chunks []Chunk) (inserted, deleted int) {
	for _, c := range chunks {
		switch c.Op {
		case Insert:
			inserted += countWords(c.Text)
		case Delete:
			deleted += countWords(c.Text)
		}
	}
	return inserted, deleted
}

func countWords(s string) int {
	n := 0
	inWord := false // the previous rune is a letter or digit
	joined := false // the previous rune is a joiner that follows a letter or digit
	for _, r := range s {
		switch {
		case classOf(r) == classWord:
			if !inWord && !joined {
				n++
			}
			inWord, joined = true, false
		case inWord && (r == '\'' || r == '’' || r == '-' || r == '\u2011'):
			inWord, joined = false, true
		default:
			inWord, joined = false, false
		}
	}
	return n
}
