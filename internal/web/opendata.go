package web

import (
	"archive/zip"
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"ouvert/internal/opendata"
	"ouvert/internal/ouvert"
)

const archiveName = "ouvert-opendata.zip"

// openDataOptions returns how the archive describes itself.
func (s *Server) openDataOptions(ctx context.Context) (opendata.Options, error) {
	key, err := s.db.Secret(ctx, "pseudonym_key")
	if err != nil {
		return opendata.Options{}, err
	}
	return opendata.Options{Licence: s.cfg.Licence, LicenceURL: s.cfg.LicenceURL, BaseURL: s.cfg.BaseURL, PseudonymKey: key}, nil
}

var archiveMu sync.Mutex

// BuildOpenData rebuilds the open-data archive under DATA/opendata/. serve calls it at start when
// the archive is missing and every night; organisers may ask for it at once.
func (s *Server) BuildOpenData(ctx context.Context) error {
	archiveMu.Lock()
	defer archiveMu.Unlock()
	o, err := s.openDataOptions(ctx)
	if err != nil {
		return err
	}
	return opendata.WriteFile(ctx, s.db, s.archivePath(), o)
}

func (s *Server) archivePath() string { return filepath.Join(s.cfg.DataDir, "opendata", archiveName) }

type openDataPage struct {
	Tables  []opendata.Table
	Built   time.Time
	Size    int64
	CanEdit bool
	Licence string
}

// openData lists the archive and its tables.
func (s *Server) openData(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "opendata.title")
	d := openDataPage{Tables: opendata.Tables, CanEdit: p.User != nil && p.User.Is(ouvert.RoleOrganiser), Licence: s.cfg.Licence}
	if fi, err := os.Stat(s.archivePath()); err == nil {
		d.Built, d.Size = fi.ModTime(), fi.Size()
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "opendata", p)
	return nil
}

// openDataFile serves the archive, or one table out of it.
func (s *Server) openDataFile(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	if _, err := os.Stat(s.archivePath()); errors.Is(err, fs.ErrNotExist) {
		if err := s.BuildOpenData(r.Context()); err != nil {
			return err
		}
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	if name == archiveName {
		w.Header().Set("Content-Type", "application/zip")
		w.Header().Set("Content-Disposition", `attachment; filename="`+archiveName+`"`)
		http.ServeFile(w, r, s.archivePath())
		return nil
	}
	zr, err := zip.OpenReader(s.archivePath())
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name != name || strings.Contains(name, "/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		defer rc.Close()
		switch {
		case strings.HasSuffix(name, ".csv"):
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		case strings.HasSuffix(name, ".ndjson"):
			w.Header().Set("Content-Type", "application/x-ndjson")
		case strings.HasSuffix(name, ".json"):
			w.Header().Set("Content-Type", "application/json")
		default:
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		}
		w.Header().Set("Last-Modified", f.Modified.UTC().Format(http.TimeFormat))
		_, err = io.Copy(w, rc)
		return err
	}
	return errNotFound
}

// openDataRebuild lets organisers rebuild the archive at once.
func (s *Server) openDataRebuild(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	if !u.Is(ouvert.RoleOrganiser) {
		return errForbidden
	}
	if err := s.BuildOpenData(r.Context()); err != nil {
		return err
	}
	s.flash(w, r, "flash.opendata_built")
	http.Redirect(w, r, "/opendata/", http.StatusSeeOther)
	return nil
}
