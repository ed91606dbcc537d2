package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"ouvert/internal/ouvert"
)

// upload posts a file to the kit.
func (c *client) upload(title, name string, data []byte) response {
	c.a.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.WriteField("title", title)
	f, _ := w.CreateFormFile("file", name)
	f.Write(data)
	w.Close()
	req, _ := http.NewRequest("POST", c.a.srv.URL+"/kit", &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Origin", c.a.srv.URL)
	return c.do(req)
}

func TestWorkshopKit(t *testing.T) {
	a := newApp(t)
	org, _ := a.user("o@exemple.fr", ouvert.RoleOrganiser)
	part, _ := a.user("p@exemple.fr", ouvert.RoleParticipant)
	pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	if res := part.upload("Guide", "guide.pdf", pdf); res.Status != http.StatusForbidden {
		t.Errorf("a participant uploaded to the kit: %d", res.Status)
	}
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"guide.pdf", []byte("<!doctype html><script>alert(1)</script>"), "n&#39;est pas accepté"},
		{"carte.pdf", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), "n&#39;est pas accepté"},
		{"guide.html", pdf, "ne correspond pas"},
	} {
		res := org.upload("Piège", tt.name, tt.data)
		if res.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d", tt.name, res.Status)
		}
		contains(t, res, tt.want, `value="Piège"`)
	}
	big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 21<<20)...)
	if res := org.upload("Gros", "gros.pdf", big); res.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized file: %d", res.Status)
	}
	if res := org.upload("Guide de l'animateur", `../../guide "animateur".pdf`, pdf); res.Status != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", res.Status, res.Body)
	}
	page := a.client().get("/kit")
	contains(t, page, "Guide de l&#39;animateur", "Organiser un atelier-relais")
	lacks(t, page, "Piège", "Gros")
	link := regexp.MustCompile(`href="(/kit/\d+/[^"]+)"`).FindStringSubmatch(page.Body)
	if link == nil {
		t.Fatal("no download link")
	}
	res := a.client().get(link[1])
	h := res.Header
	if res.Status != http.StatusOK || res.Body != string(pdf) || h.Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") || !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") ||
		h.Get("X-Content-Type-Options") != "nosniff" || strings.Contains(h.Get("Content-Disposition"), "/") {
		t.Fatalf("download: %d %v", res.Status, h)
	}
	if res := a.client().get("/kit/999999/x.pdf"); res.Status != http.StatusNotFound {
		t.Errorf("unknown file: %d", res.Status)
	}
}

func TestEventSheet(t *testing.T) {
	a := newApp(t)
	e := a.eventByTitle("[Exemple] Atelier-relais : la participation")
	res := a.client().get("/evenements/" + itoa(e.ID) + "/fiche")
	contains(t, res, "<svg", `role="img"`, a.srv.URL+"/e/"+itoa(e.ID), e.Title)
	r := a.client().get("/e/" + itoa(e.ID))
	if r.Status != http.StatusSeeOther || r.Location != "/evenements/"+itoa(e.ID)+"/restitution" {
		t.Errorf("short link: %d %q", r.Status, r.Location)
	}
}

func TestWorkshopKitDelete(t *testing.T) {
	a := newApp(t)
	org, _ := a.user("o@exemple.fr", ouvert.RoleOrganiser)
	part, _ := a.user("p@exemple.fr", ouvert.RoleParticipant)
	org.upload("Guide", "guide.pdf", []byte("%PDF-1.4\n%%EOF\n"))
	link := regexp.MustCompile(`/kit/(\d+)/`).FindStringSubmatch(a.client().get("/kit").Body)
	if link == nil {
		t.Fatal("no file listed")
	}
	if res := part.post("/kit/"+link[1]+"/supprimer", nil); res.Status != http.StatusForbidden {
		t.Errorf("a participant deleted a kit file: %d", res.Status)
	}
	if res := org.post("/kit/"+link[1]+"/supprimer", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.Status)
	}
	contains(t, a.client().get("/kit"), "Aucun support n&#39;est encore disponible")
}
