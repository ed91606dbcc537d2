package diff

import (
	"math/rand/v2"
	"testing"
)

func BenchmarkDbgTokenize(b *testing.B) {
	a := draft(rand.New(rand.NewPCG(13, 14)), 5000)
	b.SetBytes(int64(len(a)))
	for b.Loop() {
		newText(a)
	}
}
func BenchmarkDbgIntern(b *testing.B) {
	a := draft(rand.New(rand.NewPCG(13, 14)), 5000)
	t := newText(a)
	for b.Loop() {
		t.assignIDs(make(map[string]int32))
	}
}
func BenchmarkDbgLines(b *testing.B) {
	a := draft(rand.New(rand.NewPCG(13, 14)), 5000)
	t := newText(a)
	for b.Loop() {
		t.lineIDs(make(map[string]int32))
	}
}
func BenchmarkDbgLoop(b *testing.B) {
	s := make([]int32, 20000)
	for b.Loop() {
		n := int32(0)
		for i := range s {
			n += s[i]
		}
		s[0] = n
	}
}
