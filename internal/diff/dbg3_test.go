package diff

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func show(chunks []Chunk) string {
	var b strings.Builder
	for _, c := range chunks {
		switch c.Op {
		case Equal:
			b.WriteString(c.Text)
		case Delete:
			b.WriteString("[-" + c.Text + "-]")
		case Insert:
			b.WriteString("{+" + c.Text + "+}")
		}
	}
	return b.String()
}

func TestDbgShow(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	a := draft(r, 300)
	t.Logf("5%%:\n%s", show(Words(a, mutate(r, a, 0.05, frenchWords))))
	t.Logf("30%%:\n%s", show(Words(a, mutate(r, a, 0.3, frenchWords))))
	t.Logf("diff:\n%s", show(Words(a, draft(r, 300))))
	ps := strings.Split(a, ". ")
	ps[1], ps[4] = ps[4], ps[1]
	t.Logf("moved sentence:\n%s", show(Words(a, strings.Join(ps, ". "))))
	one := strings.ReplaceAll(a, "\n\n", " ")
	t.Logf("one para, 30%%:\n%s", show(Words(one, mutate(r, one, 0.3, frenchWords))))
}
