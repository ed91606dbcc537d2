package cluster

import (
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// peakHeap samples the bytes of live and not yet swept heap objects every
// few milliseconds until stop is called, and returns the highest sample.
// runtime/metrics, unlike ReadMemStats, does not stop the world to read it.
func peakHeap() (stop func() uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak
	}
}

// BenchmarkBuild100k times Build over 100,000 contributions generated from
// the real Polis statements and reports the peak heap during the runs.
func BenchmarkBuild100k(b *testing.B) {
	docs := generateDocs(b, 100_000)
	b.ReportAllocs()
	stop := peakHeap()
	for b.Loop() {
		Build(docs, nil, DefaultOptions())
	}
	b.ReportMetric(float64(stop())/(1<<20), "peak-heap-MB")
}

// BenchmarkAdd times placing one new contribution in the index of 100,000.
func BenchmarkAdd(b *testing.B) {
	docs := generateDocs(b, 110_000)
	ix, _ := Build(docs[:100_000], nil, DefaultOptions())
	extra := docs[100_000:]
	n := 0
	for b.Loop() {
		d := extra[n%len(extra)]
		d.ID = int64(1_000_000 + n)
		ix.Add(d)
		n++
	}
}
