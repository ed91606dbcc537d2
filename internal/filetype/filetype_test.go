package filetype

import (
	"archive/zip"
	"bytes"
	"testing"
)

func zipOf(t *testing.T, files map[string]string, order ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, name := range order {
		f, _ := w.Create(name)
		f.Write([]byte(files[name]))
	}
	w.Close()
	return b.Bytes()
}

func TestDetect(t *testing.T) {
	odt := zipOf(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}, "mimetype", "content.xml")
	docx := zipOf(t, map[string]string{"[Content_Types].xml": "<x/>", "word/document.xml": "<x/>"}, "[Content_Types].xml", "word/document.xml")
	pptx := zipOf(t, map[string]string{"[Content_Types].xml": "<x/>", "ppt/presentation.xml": "<x/>"}, "[Content_Types].xml", "ppt/presentation.xml")
	plainZip := zipOf(t, map[string]string{"a.txt": "a"}, "a.txt")
	for _, tt := range []struct {
		name string
		data []byte
		ext  string
		ok   bool
	}{
		{"pdf", []byte("%PDF-1.7\n..."), ".pdf", true},
		{"png", []byte("\x89PNG\r\n\x1a\n...."), ".png", true},
		{"jpeg", []byte("\xff\xd8\xff\xe0..JFIF"), ".jpg", true},
		{"odt", odt, ".odt", true},
		{"docx", docx, ".docx", true},
		{"pptx", pptx, ".pptx", true},
		{"html named .pdf", []byte("<!doctype html><script>alert(1)</script>"), "", false},
		{"svg named .pdf", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), "", false},
		{"pdf after spaces", []byte("  %PDF-1.7"), "", false},
		{"plain zip", plainZip, "", false},
		{"empty", nil, "", false},
	} {
		got, ok := Detect(tt.data)
		if ok != tt.ok || got.Ext != tt.ext {
			t.Errorf("%s: Detect = %+v, %v", tt.name, got, ok)
		}
	}
	if !MatchesName(Accepted[6], "photo.JPEG") || MatchesName(Accepted[0], "kit.html") {
		t.Error("MatchesName")
	}
	if got := SafeName(`C:\docs\..\Kit "atelier" <1>.pdf`); got != "Kit__atelier___1_.pdf" {
		t.Errorf("SafeName = %q", got)
	}
}
