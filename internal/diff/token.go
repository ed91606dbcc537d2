package diff

import (
	"unicode"
	"unicode/utf8"
)

// text is one side of the comparison cut into tokens: a run of letters, digits and combining
// marks; a run of white space (no-break spaces included) ending at the first line break; or any
// other single rune, or single byte of invalid UTF-8. Solid tokens are those that are not white
// space.
type text struct {
	s     string
	off   []int   // start of each token in s, then len(s)
	lines []int   // index of the first token of each line, then the number of tokens
	solid []int   // index of each solid token
	ids   []int32 // of each solid token; equal tokens have equal ids
}

func newText(s string) text {
	n := len(s)/3 + 2 // a guess
	t := text{s: s, off: make([]int, 0, n), lines: make([]int, 1, len(s)/256+2), solid: make([]int, 0, n/2)}
	for i := 0; i < len(s); {
		t.off = append(t.off, i)
		c, w := classAt(s, i)
		i += w
		switch c {
		case classWord:
			t.solid = append(t.solid, len(t.off)-1)
			for i < len(s) {
				c, w = classAt(s, i)
				if c != classWord {
					break
				}
				i += w
			}
		case classSpace:
			for s[i-1] != '\n' && i < len(s) {
				c, w = classAt(s, i)
				if c != classSpace {
					break
				}
				i += w
			}
			if s[i-1] == '\n' && i < len(s) {
				t.lines = append(t.lines, len(t.off))
			}
		default:
			t.solid = append(t.solid, len(t.off)-1)
		}
	}
	t.off = append(t.off, len(s))
	t.lines = append(t.lines, len(t.off)-1)
	if len(s) == 0 {
		t.lines = t.lines[:1]
	}
	return t
}

func (t *text) slice(i, j int) string { return t.s[t.off[i]:t.off[j]] }
func (t *text) tok(i int) string      { return t.s[t.off[i]:t.off[i+1]] }

// assignIDs sets the ids of solid tokens i to j.
func (t *text) assignIDs(ids map[string]int32, i, j int) {
	for ; i < j; i++ {
		t.ids[i] = intern(ids, t.tok(t.solid[i]))
	}
}

func (t *text) lineIDs(ids map[string]int32) []int32 {
	l := make([]int32, len(t.lines)-1)
	for i := range l {
		l[i] = intern(ids, t.slice(t.lines[i], t.lines[i+1]))
	}
	return l
}

func intern(ids map[string]int32, s string) int32 {
	id, ok := ids[s]
	if !ok {
		id = int32(len(ids))
		ids[s] = id
	}
	return id
}

type class uint8

const (
	classOther class = iota
	classWord
	classSpace
)

// classAt returns the class of the rune at s[i] and its width.
func classAt(s string, i int) (class, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return asciiClass[c], 1
	}
	r, w := utf8.DecodeRuneInString(s[i:])
	return classOf(r), w
}

func classOf(r rune) class {
	switch {
	case r < utf8.RuneSelf:
		return asciiClass[r]
	case unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r):
		return classWord // with "m²", and a letter followed by a combining accent
	case unicode.IsSpace(r):
		return classSpace // with the no-break spaces French puts before “:;!?”
	}
	return classOther
}

var asciiClass = func() (t [utf8.RuneSelf]class) {
	for r := range rune(utf8.RuneSelf) {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
			t[r] = classWord
		case r == ' ', '\t' <= r && r <= '\r':
			t[r] = classSpace
		}
	}
	return t
}()
