package diff

import (
	"html/template"
	"strings"
)

// Labels are the words read out before each change, in a span of class "visually-hidden": screen
// readers do not all announce <ins> and <del>. An empty label adds no span.
type Labels struct {
	Inserted, Deleted string // e.g. "ajout : ", "suppression : "
}

// Inline renders the difference as one text, the deleted words in <del> before the inserted
// words in <ins>. The text is shown as written, Markdown marks included: everything is escaped
// and line breaks become <br>, so the caller may set white-space: pre-wrap on the container to
// keep indentation without doubling the breaks.
func Inline(chunks []Chunk, l Labels) template.HTML {
	var b strings.Builder
	for _, c := range chunks {
		writeChunk(&b, c, l)
	}
	return template.HTML(b.String())
}

// SideBySide renders the old text with its deleted words in <del> and the new text with its
// inserted words in <ins>, for two columns.
func SideBySide(chunks []Chunk, l Labels) (left, right template.HTML) {
	var lb, rb strings.Builder
	for _, c := range chunks {
		if c.Op != Insert {
			writeChunk(&lb, c, l)
		}
		if c.Op != Delete {
			writeChunk(&rb, c, l)
		}
	}
	return template.HTML(lb.String()), template.HTML(rb.String())
}

func writeChunk(b *strings.Builder, c Chunk, l Labels) {
	tag, label := "", ""
	switch c.Op {
	case Equal:
		writeText(b, c.Text)
		return
	case Insert:
		tag, label = "ins", l.Inserted
	case Delete:
		tag, label = "del", l.Deleted
	}
	b.WriteString("<" + tag + ">")
	if label != "" {
		b.WriteString(`<span class="visually-hidden">`)
		b.WriteString(template.HTMLEscapeString(label))
		b.WriteString("</span>")
	}
	writeText(b, c.Text)
	b.WriteString("</" + tag + ">")
}

// writeText writes s escaped, with <br> for each line break (\n, \r\n or \r).
func writeText(b *strings.Builder, s string) {
	for {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			b.WriteString(template.HTMLEscapeString(s))
			return
		}
		b.WriteString(template.HTMLEscapeString(s[:i]))
		b.WriteString("<br>")
		if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			i++
		}
		s = s[i+1:]
	}
}
