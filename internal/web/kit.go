package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"

	"rsc.io/qr"

	"ouvert/internal/filetype"
	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// maxKitFile bounds an uploaded kit file.
const maxKitFile = 20 << 20

type kitData struct {
	Files    []store.KitFile
	CanEdit  bool
	Accepted []filetype.Type
}

// kit is the page "Organiser un atelier-relais": how to run one, and the workshop kit.
func (s *Server) kit(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "kit.title")
	if p.Process == nil {
		return errNotFound
	}
	return s.kitPage(w, r, p, http.StatusOK)
}

func (s *Server) kitPage(w http.ResponseWriter, r *http.Request, p *page, status int) error {
	files, err := s.db.KitFiles(r.Context(), p.Process.ID)
	if err != nil {
		return err
	}
	p.Data = kitData{Files: files, CanEdit: p.User != nil && p.User.Is(ouvert.RoleOrganiser), Accepted: filetype.Accepted}
	s.render(w, r, status, "kit", p)
	return nil
}

// kitUpload adds a file to the kit. Only organisers may; the type is judged from the content and
// must agree with the name's extension.
func (s *Server) kitUpload(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	if !u.Is(ouvert.RoleOrganiser) {
		return errForbidden
	}
	p := s.page(r, "kit.title")
	if p.Process == nil {
		return errNotFound
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxKitFile+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			p.Form.Errors.Add("file", "kit.too_big")
			return s.kitPage(w, r, p, http.StatusRequestEntityTooLarge)
		}
		return ouvert.Errorf(ouvert.EINVALID, "error.invalid")
	}
	p.Form.Values = r.Form
	title := strings.TrimSpace(p.Form.Get("title"))
	if title == "" {
		p.Form.Errors.Add("title", "form.required")
	}
	file, header, err := r.FormFile("file")
	var data []byte
	if err != nil {
		p.Form.Errors.Add("file", "kit.no_file")
	} else {
		data, err = io.ReadAll(io.LimitReader(file, maxKitFile+1))
		file.Close()
		if err != nil {
			return err
		}
		t, ok := filetype.Detect(data)
		switch {
		case len(data) > maxKitFile:
			p.Form.Errors.Add("file", "kit.too_big")
		case !ok:
			p.Form.Errors.Add("file", "kit.bad_type")
		case !filetype.MatchesName(t, header.Filename):
			p.Form.Errors.Add("file", "kit.name_mismatch")
		}
	}
	if p.Form.HasErrors() {
		return s.kitPage(w, r, p, http.StatusUnprocessableEntity)
	}
	t, _ := filetype.Detect(data)
	f := &store.KitFile{Title: title, Description: strings.TrimSpace(p.Form.Get("description")),
		Filename: filetype.SafeName(header.Filename), ContentType: t.ContentType, Data: data}
	if err := s.db.AddKitFile(r.Context(), p.Process.ID, u.ID, f); err != nil {
		return err
	}
	s.flash(w, r, "flash.kit_added")
	http.Redirect(w, r, "/kit#fichiers", http.StatusSeeOther)
	return nil
}

// kitDownload serves a kit file as a download that no browser will run: the detected type,
// attachment, nosniff and a sandboxing content security policy.
func (s *Server) kitDownload(w http.ResponseWriter, r *http.Request) error {
	p, err := s.process(r.Context())
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f, err := s.db.KitFile(r.Context(), p.ID, id)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, filetype.SafeName(f.Filename)))
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "public, max-age=3600")
	http.ServeContent(w, r, "", f.CreatedAt, bytes.NewReader(f.Data))
	return nil
}

func (s *Server) kitDelete(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	if !u.Is(ouvert.RoleOrganiser) {
		return errForbidden
	}
	p, err := s.process(r.Context())
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.db.DeleteKitFile(r.Context(), p.ID, id); err != nil {
		return err
	}
	s.flash(w, r, "flash.kit_deleted")
	http.Redirect(w, r, "/kit#fichiers", http.StatusSeeOther)
	return nil
}

// eventSheet is a printable sheet for an event: what, when, where, and a short link with a QR
// code to the page where its organiser will enter the results.
func (s *Server) eventSheet(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "")
	e, err := s.visibleEvent(r, p)
	if err != nil {
		return err
	}
	link := s.cfg.BaseURL + "/e/" + strconv.FormatInt(e.ID, 10)
	code, err := qr.Encode(link, qr.M)
	if err != nil {
		return err
	}
	p.Title = e.Title
	p.Data = struct {
		E    *ouvert.Event
		Link string
		QR   template.HTML
	}{e, link, qrSVG(code, p.L.T("sheet.qr_alt", link))}
	s.render(w, r, http.StatusOK, "event_sheet", p)
	return nil
}

// qrSVG draws a QR code as SVG squares, crisp at any print size.
func qrSVG(c *qr.Code, alt string) template.HTML {
	var b strings.Builder
	n := c.Size
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="-4 -4 %d %d" width="180" height="180" role="img" aria-label="%s"><rect x="-4" y="-4" width="%d" height="%d" fill="#fff"/><path fill="#000" d="`,
		n+8, n+8, template.HTMLEscapeString(alt), n+8, n+8)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if c.Black(x, y) {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String())
}

// shortLink leads from a printed sheet to the event's results page (its organiser signs in).
func (s *Server) shortLink(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/evenements/"+strconv.FormatInt(id, 10)+"/restitution", http.StatusSeeOther)
	return nil
}
