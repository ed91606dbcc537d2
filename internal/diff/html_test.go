package diff

import (
	"strings"
	"testing"
)

var labels = Labels{Inserted: "ajout : ", Deleted: "suppression : "}

func TestInline(t *testing.T) {
	chunks := Words("Le conseil <b>municipal</b> & \"l'équipe\".\n\nFin.", "Le conseil <script>alert('x')</script> & \"l'équipe\".\n\nFin.\nSuite.")
	got := string(Inline(chunks, labels))
	want := `Le conseil &lt;<del><span class="visually-hidden">suppression : </span>b&gt;municipal&lt;/b</del>` +
		`<ins><span class="visually-hidden">ajout : </span>script&gt;alert(&#39;x&#39;)&lt;/script</ins>&gt; &amp; &#34;l&#39;équipe&#34;.<br><br>Fin.` +
		`<ins><span class="visually-hidden">ajout : </span><br>Suite.</ins>`
	if got != want {
		t.Errorf("Inline =\n%s\nwant\n%s", got, want)
	}
}

func TestSideBySide(t *testing.T) {
	chunks := Words("Le chat <dort>.", "Le chien <dort>.")
	left, right := SideBySide(chunks, labels)
	if want := `Le <del><span class="visually-hidden">suppression : </span>chat</del> &lt;dort&gt;.`; string(left) != want {
		t.Errorf("left = %s, want %s", left, want)
	}
	if want := `Le <ins><span class="visually-hidden">ajout : </span>chien</ins> &lt;dort&gt;.`; string(right) != want {
		t.Errorf("right = %s, want %s", right, want)
	}
}

func TestLabelsAreEscapedAndOptional(t *testing.T) {
	chunks := []Chunk{{Delete, "a"}, {Insert, "b"}}
	if got, want := string(Inline(chunks, Labels{})), "<del>a</del><ins>b</ins>"; got != want {
		t.Errorf("without labels: %s, want %s", got, want)
	}
	got := string(Inline(chunks, Labels{Inserted: "<i>+</i>", Deleted: "“−”"}))
	want := `<del><span class="visually-hidden">“−”</span>a</del><ins><span class="visually-hidden">&lt;i&gt;+&lt;/i&gt;</span>b</ins>`
	if got != want {
		t.Errorf("with labels: %s, want %s", got, want)
	}
}

func TestLineBreaks(t *testing.T) {
	got := string(Inline([]Chunk{{Equal, "a\r\nb\rc\n\nd"}}, labels))
	if want := "a<br>b<br>c<br><br>d"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestMarkdownIsNotInterpreted(t *testing.T) {
	chunks := Words("# Titre\n\n*gras* [lien](javascript:alert(1))", "# Titre\n\n**gras** [lien](javascript:alert(2))")
	got := string(Inline(chunks, labels))
	for _, bad := range []string{"<h1", "<em", "<strong", "<a "} {
		if strings.Contains(got, bad) {
			t.Errorf("Markdown interpreted: %s", got)
		}
	}
	if !strings.Contains(got, "# Titre<br><br>") || !strings.Contains(got, "(javascript:alert(") {
		t.Errorf("source not shown as written: %s", got)
	}
}
