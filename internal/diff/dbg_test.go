package diff

import (
	"math/rand/v2"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

func threadCPU() time.Duration {
	var ts syscall.Timespec
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, 3, uintptr(unsafe.Pointer(&ts)), 0)
	return time.Duration(ts.Nano())
}

func TestDbgCPU(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	r := rand.New(rand.NewPCG(13, 14))
	a := draft(r, 5000)
	other := draft(r, 5000)
	one := strings.ReplaceAll(a, "\n\n", " ")
	cases := []struct {
		name string
		a, b string
	}{
		{"5%", a, mutate(r, a, 0.05, frenchWords)},
		{"50%", a, mutate(r, a, 0.5, frenchWords)},
		{"different", a, other},
		{"moved", a, moveParagraph(a, 3, -3)},
		{"one 50%", one, mutate(r, one, 0.5, frenchWords)},
		{"one different", one, strings.ReplaceAll(other, "\n\n", " ")},
	}
	for _, c := range cases {
		best, bestWall := time.Hour, time.Hour
		for range 20 {
			start, wall := threadCPU(), time.Now()
			Words(c.a, c.b)
			best = min(best, threadCPU()-start)
			bestWall = min(bestWall, time.Since(wall))
		}
		t.Logf("%-14s best cpu %v wall %v", c.name, best, bestWall)
	}
}
