package opendata

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"ouvert/internal/csvsafe"
)

// The hand-written formats must stay byte for byte what csvsafe (encoding/csv) and encoding/json
// write.

var trickyCells = []string{"", "plain", "with, comma", `with "quotes"`, "line\nbreak", "cr\rlf\r\n", " leading space",
	"\u00a0no-break space", "\ttab", "=1+1", "+33", "-2", "@SUM(A1)", `\.`, `\`, "<b>&amp;</b>", "U+2028 \u2028 U+2029 \u2029",
	"control \x00\x01\x1f\x7f", "invalid \xff\xfe utf-8 \xc3", "accents éàç œ 😀", `back\slash`, "\b\f"}

func TestCSVMatchesCSVSafe(t *testing.T) {
	cells := append([]string{}, trickyCells...)
	cells = append(cells, randomStrings(2000)...)
	for _, s := range cells {
		var want bytes.Buffer
		w := csvsafe.NewWriter(&want)
		w.Write(s, "x")
		w.Flush()
		got := append([]byte("\ufeff"), appendCSVString(nil, s)...)
		got = append(got, ",x\n"...)
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%q: got %q, want %q", s, got, want.Bytes())
		}
	}
}

func TestJSONMatchesEncodingJSON(t *testing.T) {
	cells := append([]string{}, trickyCells...)
	cells = append(cells, randomStrings(2000)...)
	for _, s := range cells {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	}
}

// TestTableMatchesReference writes a table through the streams and the spool (several buffers'
// worth) and compares its two entries with what csvsafe and encoding/json write.
func TestTableMatchesReference(t *testing.T) {
	tb := Table{Name: "t", Columns: []Column{{Name: "zeta"}, {Name: "alpha"}, {Name: "mid"}, {Name: "b"}, {Name: "when"},
		{Name: "neg"}, {Name: "who"}}}
	modified := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	var archive bytes.Buffer
	zw := zip.NewWriter(&archive)
	fastDeflate(zw)
	e := newEncoder([]byte("k"), t.TempDir())
	defer e.close()
	var wantCSV, wantJSON bytes.Buffer
	cw := csvsafe.NewWriter(&wantCSV)
	cw.Write("zeta", "alpha", "mid", "b", "when", "neg", "who")
	cw.Flush()
	je := json.NewEncoder(&wantJSON)
	cells := append(append([]string{}, trickyCells...), randomStrings(30000)...)
	for round := range 2 { // the second table reuses the spool and the buffers
		wantCSV.Truncate(len("\ufeffzeta,alpha,mid,b,when,neg,who\n"))
		wantJSON.Reset()
		r, err := e.begin(zw, tb, modified)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range cells {
			at := time.Date(2026, 3, 4, 5, 6, i%60, 890, time.FixedZone("x", 3600*(i%5)))
			n := int64(i*7919 - 100000)
			var id int64
			if i%3 > 0 {
				id = int64(i%1000 + round)
			}
			if err := r.row(str(s), num(n), flag(i%2 == 0), flag(false), stamp(at), num(-1), who(id)); err != nil {
				t.Fatal(err)
			}
			p := string(e.pseudo.append(nil, id))
			cw.Write(s, strconv.FormatInt(n, 10), strconv.FormatBool(i%2 == 0), "false", at.UTC().Format(time.RFC3339), "-1", p)
			je.Encode(map[string]any{"zeta": s, "alpha": n, "mid": i%2 == 0, "b": false, "when": at.UTC().Format(time.RFC3339), "neg": -1, "who": p})
		}
		if err := r.end(false); err != nil {
			t.Fatal(err)
		}
		cw.Flush()
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(archive.Bytes()), int64(archive.Len()))
		if err != nil {
			t.Fatal(err)
		}
		files := zr.File
		for _, f := range files {
			if !f.Modified.Equal(modified) {
				t.Errorf("%s: modified %v", f.Name, f.Modified)
			}
		}
		for i, want := range []*bytes.Buffer{&wantCSV, &wantJSON} {
			rc, err := files[i].Open()
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(rc) // checks the CRC too
			if err != nil {
				t.Fatalf("%s: %v", files[i].Name, err)
			}
			if !bytes.Equal(got, want.Bytes()) {
				t.Errorf("%s: %d bytes differ from the reference's %d", files[i].Name, len(got), want.Len())
			}
		}
		if round == 0 {
			// Start a new archive for the second round, from the same encoder.
			archive.Reset()
			zw = zip.NewWriter(&archive)
			fastDeflate(zw)
		}
	}
}

func randomStrings(n int) []string {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "é", ",", "\"", "\n", "\r", " ", "\t", "=", "-", "<", ">", "&", "\\", "\u2028", "\xff", "\x01", "😀", "\u3000", "'"}
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for range rng.IntN(8) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		out[i] = b.String()
	}
	return out
}
