package ouvert

import (
	_ "embed"
	"strings"
	"unicode"
)

//go:embed common_passwords.txt
var commonPasswordsFile string

var commonWords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswordsFile, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
}()

// IsCommonPassword reports whether a lowercased password is built on a common word, a keyboard
// or digit run, or a single repeated character: what attackers try first.
func IsCommonPassword(lower string) bool {
	var letters strings.Builder
	for _, r := range lower {
		if unicode.IsLetter(r) {
			letters.WriteRune(r)
		}
	}
	w := letters.String()
	if w == "" || commonWords[w] || isRepetition(w) || isRepetition(lower) {
		return true
	}
	for n := 1; n <= len(w)/2; n++ {
		if len(w)%n == 0 && strings.Repeat(w[:n], len(w)/n) == w && commonWords[w[:n]] {
			return true
		}
	}
	return isRun(lower)
}

// isRepetition reports whether s is one short piece (up to three bytes) repeated.
func isRepetition(s string) bool {
	for n := 1; n <= 3 && n < len(s); n++ {
		if len(s)%n == 0 && strings.Repeat(s[:n], len(s)/n) == s {
			return true
		}
	}
	return false
}

// isRun reports whether s is a run of consecutive characters such as "123456789012" or "abcdefghijkl".
func isRun(s string) bool {
	if len(s) < 2 {
		return false
	}
	up, down := true, true
	for i := 1; i < len(s); i++ {
		d := int(s[i]) - int(s[i-1])
		if d != 1 && !(s[i-1] == '9' && s[i] == '0') {
			up = false
		}
		if d != -1 && !(s[i-1] == '0' && s[i] == '9') {
			down = false
		}
	}
	return up || down
}
