//go:build unix

package storetest

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// What benchmarks over a generated database share: a database is built once per test binary and
// kept until it ends, longer than any one benchmark.

var (
	exitMu    sync.Mutex
	exitFuncs []func()
)

// AtExit registers f to run when the test binary ends (see Main), newest first.
func AtExit(f func()) {
	exitMu.Lock()
	defer exitMu.Unlock()
	exitFuncs = append(exitFuncs, f)
}

// Main runs the tests and benchmarks, then what AtExit registered: call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	exitMu.Lock()
	defer exitMu.Unlock()
	for i := len(exitFuncs) - 1; i >= 0; i-- {
		exitFuncs[i]()
	}
	os.Exit(code)
}

// ProcessTB is a testing.TB whose cleanups wait for the end of the test binary: a benchmark's own
// Cleanup runs after each of its rounds, too early for a database that every round shares.
type ProcessTB struct{ testing.TB }

func (ProcessTB) Cleanup(f func()) { AtExit(f) }

// RepoRoot is the directory of go.mod above the working directory.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// CPUTime is the CPU time this process used so far, user and system.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
