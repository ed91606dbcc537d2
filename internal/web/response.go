package web

import (
	"net/http"
	"strconv"
	"strings"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

// responseData is what a contribution page shows of the organisers' answer.
type responseData struct {
	Citations  []store.Citation
	MergedInto *ouvert.Contribution // the contribution this one was merged into
	CanAnswer  bool
}

// loadResponse reads what the contribution page shows of c's answer: the syntheses citing it and
// the contribution it was merged into.
func (s *Server) loadResponse(r *http.Request, p *page, c *ouvert.Contribution) (responseData, error) {
	var d responseData
	var err error
	if d.Citations, err = s.db.Citations(r.Context(), c.ID); err != nil {
		return d, err
	}
	if c.Response == ouvert.ResponseMerged && c.ResponseTarget != 0 {
		target, err := s.db.Contribution(r.Context(), c.ResponseTarget)
		if err != nil && ouvert.ErrorCode(err) != ouvert.ENOTFOUND {
			return d, err
		}
		if target != nil && target.Visible() {
			d.MergedInto = target
		}
	}
	d.CanAnswer = canAnswer(p.User)
	if d.CanAnswer && !p.Form.HasErrors() {
		p.Form.Values.Set("response", string(c.Response))
		p.Form.Values.Set("reason", c.ResponseReason)
		if c.ResponseTarget != 0 {
			p.Form.Values.Set("target", "C-"+strconv.FormatInt(c.ResponseTarget, 10))
		}
	}
	return d, nil
}

// canAnswer says who may answer contributions: organisers. Administration representatives will
// answer the contributions taken up in their own draft commitments once drafts exist.
func canAnswer(u *ouvert.User) bool { return u != nil && u.Is(ouvert.RoleOrganiser) }

// answerFrom reads an answer from a form: the target may be typed "C-123" or "123".
func answerFrom(f *form) ouvert.Answer {
	target := strings.ToUpper(strings.TrimSpace(f.Get("target")))
	target = strings.TrimPrefix(strings.TrimPrefix(target, "C-"), "P-")
	return ouvert.Answer{Response: ouvert.Response(f.Get("response")), Reason: f.Get("reason"), Target: atoi(target)}
}

// contributionAnswer gives one contribution its response; a refused answer comes back on the
// contribution page with what was typed.
func (s *Server) contributionAnswer(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	if !canAnswer(u) {
		return errForbidden
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p := s.page(r, "")
	if p.Process == nil {
		return errNotFound
	}
	if err := parseForm(r, p); err != nil {
		return err
	}
	a := answerFrom(p.Form)
	if _, err := s.db.Answer(r.Context(), p.Process.ID, []int64{id}, a, u.ID); err != nil {
		if p.Form.Refused(err) {
			return s.contributionShowWith(w, r, p, http.StatusUnprocessableEntity)
		}
		return err
	}
	s.forgetProcess()
	s.flash(w, r, "flash.answered")
	http.Redirect(w, r, "/contributions/"+strconv.FormatInt(id, 10)+"#response", http.StatusSeeOther)
	return nil
}

// responsesData is the public account of what became of the contributions.
type responsesData struct {
	Rows    []responsesRow
	Total   responsesRow
	Pending int // per cent of contributions still without an answer
}

type responsesRow struct {
	Axis   *ouvert.Axis
	Counts []int // in the order of ouvert.Responses
	Total  int
}

// responses shows, per axis and response, how many contributions got which answer, and the share
// still waiting for one: "Qu'est devenue ma contribution ?".
func (s *Server) responses(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "responses.title")
	if p.Process == nil {
		return errNotFound
	}
	counts, err := s.db.ResponseCounts(r.Context(), p.Process.ID)
	if err != nil {
		return err
	}
	d := responsesData{Total: responsesRow{Counts: make([]int, len(ouvert.Responses))}}
	for i := range p.Process.Axes {
		axis := &p.Process.Axes[i]
		row := responsesRow{Axis: axis, Counts: make([]int, len(ouvert.Responses))}
		for j, resp := range ouvert.Responses {
			n := counts[axis.ID][resp]
			row.Counts[j] = n
			row.Total += n
			d.Total.Counts[j] += n
			d.Total.Total += n
		}
		d.Rows = append(d.Rows, row)
	}
	if d.Total.Total > 0 {
		d.Pending = (d.Total.Counts[0]*100 + d.Total.Total/2) / d.Total.Total
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "responses", p)
	return nil
}
