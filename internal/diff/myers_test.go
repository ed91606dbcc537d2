package diff

import (
	"math/rand/v2"
	"testing"
)

// lcs returns the length of a longest common subsequence of a and b.
func lcs(a, b []int32) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(cur[j], prev[j+1])
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// runMyers compares a and b and checks that the marks describe a valid edit script: what is left
// unmarked is the same sequence on both sides. It returns the number of marks.
func runMyers(t *testing.T, a, b []int32, expensive, limit int) int {
	t.Helper()
	del, ins := make([]bool, len(a)), make([]bool, len(b))
	m := newMyers()
	m.expensive, m.limit = expensive, limit
	m.diff(a, b, del, ins)
	var keptA, keptB []int32
	edits := 0
	for i, d := range del {
		if d {
			edits++
		} else {
			keptA = append(keptA, a[i])
		}
	}
	for i, d := range ins {
		if d {
			edits++
		} else {
			keptB = append(keptB, b[i])
		}
	}
	if len(keptA) != len(keptB) {
		t.Fatalf("a=%v b=%v: %d elements kept in a, %d in b", a, b, len(keptA), len(keptB))
	}
	for i := range keptA {
		if keptA[i] != keptB[i] {
			t.Fatalf("a=%v b=%v: kept elements differ: %v and %v", a, b, keptA, keptB)
		}
	}
	return edits
}

func randomSeq(r *rand.Rand, n, alphabet int) []int32 {
	s := make([]int32, r.IntN(n+1))
	for i := range s {
		s[i] = int32(r.IntN(alphabet))
	}
	return s
}

func TestMyersFindsShortestScript(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for range 5000 {
		alphabet := 1 + r.IntN(6)
		a, b := randomSeq(r, 40, alphabet), randomSeq(r, 40, alphabet)
		if r.IntN(2) == 0 { // b close to a
			b = append([]int32(nil), a...)
			for range r.IntN(6) {
				if len(b) > 0 {
					b[r.IntN(len(b))] = int32(r.IntN(alphabet))
				}
			}
		}
		want := len(a) + len(b) - 2*lcs(a, b)
		if got := runMyers(t, a, b, 1<<30, 1<<30); got != want {
			t.Fatalf("a=%v b=%v: %d edits, want %d", a, b, got, want)
		}
	}
}

func TestMyersBoundsStayValid(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	for range 3000 {
		alphabet := 1 + r.IntN(8)
		a, b := randomSeq(r, 300, alphabet), randomSeq(r, 300, alphabet)
		shortest := len(a) + len(b) - 2*lcs(a, b)
		// Giving up early yields a longer script, never a wrong one.
		if got := runMyers(t, a, b, 1+r.IntN(4), 1<<30); got < shortest {
			t.Fatalf("%d edits, fewer than the shortest %d", got, shortest)
		}
		if got := runMyers(t, a, b, 1<<30, r.IntN(200)); got < shortest {
			t.Fatalf("%d edits, fewer than the shortest %d", got, shortest)
		}
	}
}

func TestMyersWorkLimitReportsTheRestWhole(t *testing.T) {
	a := []int32{9, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	b := []int32{9, 8, 7, 6, 5, 4, 3, 2, 1, 9}
	// With no work allowed, everything but the common first and last elements is changed.
	if got := runMyers(t, a, b, expensiveCost, 0); got != 16 {
		t.Errorf("%d edits, want 16", got)
	}
}
