package web

import (
	"net/http"
	"strconv"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

type historyData struct {
	ContributionID int64
	Anchor         string
	Current        store.Revision
	Revisions      []store.Revision // oldest first
}

// contributionHistory shows every earlier text of a contribution, for all to see.
func (s *Server) contributionHistory(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := s.db.Contribution(r.Context(), id)
	if err != nil {
		return err
	}
	if !c.Visible() {
		return errNotFound
	}
	revs, err := s.db.Revisions(r.Context(), store.TargetContribution, id)
	if err != nil {
		return err
	}
	p := s.page(r, "history.title")
	p.Data = historyData{ContributionID: id, Current: store.Revision{Title: c.Title, Body: c.Body, ReplacedAt: c.UpdatedAt}, Revisions: revs}
	s.render(w, r, http.StatusOK, "history", p)
	return nil
}

// argumentHistory shows every earlier text of an argument.
func (s *Server) argumentHistory(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a, err := s.db.Argument(r.Context(), id)
	if err != nil {
		return err
	}
	if a.Status != ouvert.StatusPublished {
		return errNotFound
	}
	revs, err := s.db.Revisions(r.Context(), store.TargetArgument, id)
	if err != nil {
		return err
	}
	at := a.CreatedAt
	if a.EditedAt != nil {
		at = *a.EditedAt
	}
	p := s.page(r, "history.title")
	p.Data = historyData{ContributionID: a.ContributionID, Anchor: "argument-" + strconv.FormatInt(id, 10),
		Current: store.Revision{Body: a.Body, ReplacedAt: at}, Revisions: revs}
	s.render(w, r, http.StatusOK, "history", p)
	return nil
}
