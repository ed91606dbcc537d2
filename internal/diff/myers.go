package diff

// Bounds on the work of a comparison, so that two very different 5,000-word versions still
// compare in a few milliseconds. Under both bounds the edit script found is a shortest one.
const (
	// expensiveCost is the number of edits after which the search for the middle of an edit
	// script gives up and splits the problem at the point it pushed furthest, as GNU diff does
	// past its too_expensive bound. A search then costs some 4·expensiveCost² steps instead of
	// growing with the square of the edits, and the script is still valid, only perhaps longer
	// than the shortest. Runs of changed lines with up to 2·expensiveCost changed words and
	// punctuation marks are compared exactly; past that, on generated French drafts, scattered
	// changes give scripts within 1% of the shortest, and unrelated texts, where the cleanup
	// folds the few common words into the changes anyway, within 10%.
	expensiveCost = 32

	// workLimit is the number of steps (diagonals tried and tokens compared) one comparison may
	// take in all, some 10 ms. Past it, every part not yet compared is reported as deleted and
	// inserted whole (the search runs from the start of the texts, so their beginning keeps its
	// detail). The worst cases found, such as two random 5,000-word texts over a two-word
	// vocabulary, take a quarter of it.
	workLimit = 1 << 21
)

// myers finds an edit script between two sequences of ids with the linear-space,
// divide-and-conquer form of Myers' algorithm (E. W. Myers, "An O(ND) difference algorithm and
// its variations", Algorithmica, 1986), after GNU diff's analyze.c.
type myers struct {
	a, b     []int32
	del, ins []bool // del[x]: a[x] is deleted; ins[y]: b[y] is inserted
	fd, bd   []int  // furthest x reached on diagonal k = x-y, forwards and backwards, at off+k
	off      int

	work             int
	expensive, limit int // expensiveCost and workLimit, but for tests
}

func newMyers() *myers {
	return &myers{expensive: expensiveCost, limit: workLimit}
}

// diff marks in del the elements of a that are not in b, and in ins those of b not in a. The work
// counts against the limit of m across calls.
func (m *myers) diff(a, b []int32, del, ins []bool) {
	m.a, m.b, m.del, m.ins = a, b, del, ins
	if n := len(a) + len(b) + 3; len(m.fd) < n {
		m.fd, m.bd = make([]int, n), make([]int, n)
	}
	m.off = len(b) + 1
	m.compare(0, len(a), 0, len(b))
}

// compare marks the deleted and inserted elements of a[xoff:xlim] against b[yoff:ylim].
func (m *myers) compare(xoff, xlim, yoff, ylim int) {
	for xoff < xlim && yoff < ylim && m.a[xoff] == m.b[yoff] {
		xoff++
		yoff++
	}
	for xoff < xlim && yoff < ylim && m.a[xlim-1] == m.b[ylim-1] {
		xlim--
		ylim--
	}
	if xoff == xlim || yoff == ylim || m.work >= m.limit {
		m.mark(xoff, xlim, yoff, ylim)
		return
	}
	x, y := m.split(xoff, xlim, yoff, ylim)
	if x == xoff && y == yoff || x == xlim && y == ylim {
		m.mark(xoff, xlim, yoff, ylim) // cannot happen; would recurse for ever
		return
	}
	m.compare(xoff, x, yoff, y)
	m.compare(x, xlim, y, ylim)
}

func (m *myers) mark(xoff, xlim, yoff, ylim int) {
	for x := xoff; x < xlim; x++ {
		m.del[x] = true
	}
	for y := yoff; y < ylim; y++ {
		m.ins[y] = true
	}
	m.work += xlim - xoff + ylim - yoff
}

// split returns a point of a shortest edit script from (xoff, yoff) to (xlim, ylim) that halves
// its cost, searching forwards from the start and backwards from the end at once until the two
// searches meet. Past expensiveCost edits it returns instead the point either search has pushed
// furthest. The two sequences must differ at both ends.
func (m *myers) split(xoff, xlim, yoff, ylim int) (int, int) {
	a, b, fd, bd, off := m.a, m.b, m.fd, m.bd, m.off
	dmin, dmax := xoff-ylim, xlim-yoff // the diagonals of the problem
	fmid, bmid := xoff-yoff, xlim-ylim // where the searches start
	fmin, fmax, bmin, bmax := fmid, fmid, bmid, bmid
	odd := (fmid-bmid)&1 != 0 // the searches meet on a forward step
	fd[off+fmid] = xoff
	bd[off+bmid] = xlim
	const maxInt = int(^uint(0) >> 1)
	for c := 1; ; c++ {
		// One more edit forwards, on every reachable diagonal.
		if fmin > dmin {
			fmin--
			fd[off+fmin-1] = -1
		} else {
			fmin++
		}
		if fmax < dmax {
			fmax++
			fd[off+fmax+1] = -1
		} else {
			fmax--
		}
		for d := fmax; d >= fmin; d -= 2 {
			x := fd[off+d+1] // down from diagonal d+1: an insertion
			if lo := fd[off+d-1]; lo >= x {
				x = lo + 1 // right from diagonal d-1: a deletion
			}
			y := x - d
			x0 := x
			for x < xlim && y < ylim && a[x] == b[y] {
				x++
				y++
			}
			m.work += 1 + x - x0
			fd[off+d] = x
			if odd && bmin <= d && d <= bmax && bd[off+d] <= x {
				return x, y
			}
		}
		// One more edit backwards.
		if bmin > dmin {
			bmin--
			bd[off+bmin-1] = maxInt
		} else {
			bmin++
		}
		if bmax < dmax {
			bmax++
			bd[off+bmax+1] = maxInt
		} else {
			bmax--
		}
		for d := bmax; d >= bmin; d -= 2 {
			x := bd[off+d+1] - 1
			if lo := bd[off+d-1]; lo < x+1 {
				x = lo
			}
			y := x - d
			x0 := x
			for x > xoff && y > yoff && a[x-1] == b[y-1] {
				x--
				y--
			}
			m.work += 1 + x0 - x
			bd[off+d] = x
			if !odd && fmin <= d && d <= fmax && x <= fd[off+d] {
				return x, y
			}
		}
		if c < m.expensive {
			continue
		}
		// Too expensive: take the furthest point reached forwards, or backwards if that search
		// went further.
		fxy, fx := -1, 0
		for d := fmax; d >= fmin; d -= 2 {
			x := min(fd[off+d], xlim)
			y := x - d
			if y > ylim {
				x, y = ylim+d, ylim
			}
			if x+y > fxy {
				fxy, fx = x+y, x
			}
		}
		bxy, bx := maxInt, 0
		for d := bmax; d >= bmin; d -= 2 {
			x := max(bd[off+d], xoff)
			y := x - d
			if y < yoff {
				x, y = yoff+d, yoff
			}
			if x+y < bxy {
				bxy, bx = x+y, x
			}
		}
		m.work += fmax - fmin + bmax - bmin
		if xlim+ylim-bxy < fxy-(xoff+yoff) {
			return fx, fxy - fx
		}
		return bx, bxy - bx
	}
}
