// Package filetype tells what a file is from its content, not from its name, so that an HTML or
// SVG page named "kit.pdf" is refused rather than served to someone's browser.
package filetype

import (
	"archive/zip"
	"bytes"
	"io"
	"path/filepath"
	"strings"
)

// Type is an accepted kind of file.
type Type struct {
	Ext         string // ".pdf"
	ContentType string
}

// Accepted lists the workshop kit's types.
var Accepted = []Type{
	{".pdf", "application/pdf"},
	{".odt", "application/vnd.oasis.opendocument.text"},
	{".odp", "application/vnd.oasis.opendocument.presentation"},
	{".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	{".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
	{".png", "image/png"},
	{".jpg", "image/jpeg"},
}

// Detect returns the type of data, judged from its first bytes (and, for office documents, the
// entries of their ZIP container), and whether it is one of Accepted.
func Detect(data []byte) (Type, bool) {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return Accepted[0], true
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return Accepted[5], true
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return Accepted[6], true
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return detectZip(data)
	}
	return Type{}, false
}

func detectZip(data []byte) (Type, bool) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return Type{}, false
	}
	has := map[string]bool{}
	for _, f := range zr.File {
		has[strings.SplitN(f.Name, "/", 2)[0]] = true
		if f.Name == "mimetype" {
			rc, err := f.Open()
			if err != nil {
				return Type{}, false
			}
			b, _ := io.ReadAll(io.LimitReader(rc, 100))
			rc.Close()
			for _, t := range Accepted[1:3] {
				if strings.TrimSpace(string(b)) == t.ContentType {
					return t, true
				}
			}
			return Type{}, false
		}
	}
	if has["[Content_Types].xml"] {
		switch {
		case has["word"]:
			return Accepted[3], true
		case has["ppt"]:
			return Accepted[4], true
		}
	}
	return Type{}, false
}

// MatchesName reports whether a file name's extension agrees with the detected type.
func MatchesName(t Type, name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == t.Ext || (t.Ext == ".jpg" && ext == ".jpeg")
}

// SafeName keeps a file name to letters, digits, dots, dashes and underscores, for downloads.
func SafeName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	s := strings.Trim(b.String(), "._")
	if s == "" {
		return "fichier"
	}
	if len(s) > 100 {
		s = s[len(s)-100:]
	}
	return s
}
