package web

import (
	"net/http"
	"strconv"
	"strings"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// commitmentNewForm shows the form of a commitment entered by hand, for plans made elsewhere
// (organisers).
func (s *Server) commitmentNewForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "commitment.new")
	pl, err := s.organiserPlan(w, r, p)
	if pl == nil {
		return err
	}
	p.Data = pl
	s.render(w, r, http.StatusOK, "commitment_new", p)
	return nil
}

// commitmentCreate adds a commitment entered by hand to a plan, with the milestones typed one a
// line as in drafts ("deliverable | start | end").
func (s *Server) commitmentCreate(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "commitment.new")
	pl, err := s.organiserPlan(w, r, p)
	if pl == nil {
		return err
	}
	if err := parseForm(r, p); err != nil {
		return err
	}
	p.Data = pl
	loc := p.L.Loc
	c := &ouvert.Commitment{PlanID: pl.ID, Title: strings.TrimSpace(p.Form.Get("title")), LeadAdministration: strings.TrimSpace(p.Form.Get("lead_administration")),
		OtherActors: strings.TrimSpace(p.Form.Get("other_actors")), Sections: map[string]string{}}
	if p.Process != nil {
		if a := p.Process.Axis(atoi(p.Form.Get("axis"))); a != nil {
			c.AxisID, c.AxisTitle = a.ID, a.Title
		}
	}
	for _, k := range ouvert.Sections[:6] {
		c.Sections[k] = strings.TrimSpace(strings.ReplaceAll(p.Form.Get(k), "\r\n", "\n"))
	}
	var ms []store.NewMilestone
	for _, m := range ouvert.Milestones(strings.ReplaceAll(p.Form.Get("milestones"), "\r\n", "\n")) {
		start, okStart := ouvert.ParseMilestoneDate(m.Start, loc, false)
		end, okEnd := ouvert.ParseMilestoneDate(m.End, loc, true)
		if (m.Start != "" && !okStart) || (m.End != "" && !okEnd) {
			p.Form.Errors.Add("milestones", "commitment.bad_milestone")
			break
		}
		ms = append(ms, store.NewMilestone{Deliverable: m.Deliverable, StartsAt: start, EndsAt: end})
	}
	if !p.Form.HasErrors() {
		err = s.db.CreateCommitment(r.Context(), c, ms)
	}
	if p.Form.HasErrors() || p.Form.Refused(err) {
		s.render(w, r, http.StatusUnprocessableEntity, "commitment_new", p)
		return nil
	} else if err != nil {
		return err
	}
	s.flash(w, r, "flash.commitment_created")
	http.Redirect(w, r, "/engagements/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
	return nil
}
