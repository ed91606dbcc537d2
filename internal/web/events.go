package web

import (
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"ouvert/internal/geo"
	"ouvert/internal/ical"
	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

type eventsData struct {
	Items      []*ouvert.Event
	Total      int
	Page       int
	Pages      int
	PageLinks  []pageLink
	Kind       string
	Dep        string
	AxisID     int64
	Online     bool
	Past       bool
	Geo        template.HTML // the map and the tables that repeat it (events_geo.go)
	DepOptions template.HTML // the départements to choose from
	Feed       string
}

type depCount struct {
	Code, Name string
	N          int
	URL        string
}

// eventFilter reads the list's filters from the query; upcoming events by default.
func (s *Server) eventFilter(r *http.Request, p *page) (store.EventFilter, url.Values, *eventsData) {
	q := r.URL.Query()
	f := store.EventFilter{ProcessID: p.Process.ID, PerPage: perPage}
	args := url.Values{}
	d := &eventsData{}
	switch k := ouvert.EventKind(q.Get("type")); k {
	case ouvert.EventLaunch, ouvert.EventOpenMinistry, ouvert.EventRelay:
		f.Kind, d.Kind = k, string(k)
		args.Set("type", string(k))
	}
	if dep := q.Get("departement"); dep != "" {
		if _, ok := geo.DepartementByCode(dep); ok {
			f.Departement, d.Dep = dep, dep
			args.Set("departement", dep)
		}
	}
	if a := atoi(q.Get("axe")); a != 0 && p.Process.Axis(a) != nil {
		f.AxisID, d.AxisID = a, a
		args.Set("axe", strconv.FormatInt(a, 10))
	}
	if q.Get("en_ligne") == "1" {
		f.Online, d.Online = true, true
		args.Set("en_ligne", "1")
	}
	if q.Get("passes") == "1" {
		d.Past = true
		args.Set("passes", "1")
	} else {
		f.From = p.Now
	}
	return f, args, d
}

// events lists events with filters, a map of France by département and the same figures as a table.
func (s *Server) events(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "events.title")
	if p.Process == nil {
		return errNotFound
	}
	f, args, d := s.eventFilter(r, p)
	d.Page = max(1, int(atoi(r.URL.Query().Get("page"))))
	f.Page = d.Page
	list, err := s.db.EventList(r.Context(), f)
	if err != nil {
		return err
	}
	d.Items, d.Total = list.Items, list.Total
	d.Pages = (d.Total + perPage - 1) / perPage
	d.PageLinks = pageLinks("/evenements", args, d.Page, d.Pages)
	if d.Geo, err = s.eventsGeo(p, list, args); err != nil {
		return err
	}
	if d.DepOptions, err = s.depOptions(d.Dep); err != nil {
		return err
	}
	d.Feed = "/evenements.ics"
	if len(args) > 0 {
		d.Feed += "?" + args.Encode()
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "events", p)
	return nil
}

// eventsFeed is the iCalendar feed of the events a filtered list shows.
func (s *Server) eventsFeed(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "events.title")
	if p.Process == nil {
		return errNotFound
	}
	f, _, _ := s.eventFilter(r, p)
	f.PerPage = 200 // the next 200 events: a calendar needs no more
	write := func() (string, error) {
		list, _, err := s.db.Events(r.Context(), f)
		if err != nil {
			return "", err
		}
		return string(ical.Calendar(p.Process.Title, list, s.cfg.BaseURL, s.db.Now())), nil
	}
	// Kept while the events it holds stay the same (events_geo.go): its DTSTAMP says when it
	// was written.
	stamp, err := s.db.EventsStamp(r.Context(), f)
	if err != nil {
		return err
	}
	var cal string
	if stamp == 0 {
		cal, err = write()
	} else {
		cal, err = s.fragments.get(fragmentKey{what: "feed", stamp: stamp, name: p.Process.Title, dep: f.Departement}, write)
	}
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="evenements.ics"`)
	io.WriteString(w, cal)
	return nil
}

type eventData struct {
	E           *ouvert.Event
	Report      *ouvert.EventReport
	ReportHTML  any
	Ideas       []*ouvert.Contribution
	Description any
	Axes        []*ouvert.Axis
	Mine        *store.Registration
	MySession   string
	Parallel    []ouvert.EventSession
	CanManage   bool
	CanModerate bool
	Over        bool
	Location    string
	Dep         string
	Region      string
}

// visibleEvent returns an event the person may see: published ones to all, others to their
// organiser and moderators.
func (s *Server) visibleEvent(r *http.Request, p *page) (*ouvert.Event, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	e, err := s.db.Event(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if p.Process == nil || e.ProcessID != p.Process.ID {
		return nil, errNotFound
	}
	if e.Status != ouvert.EventPublished && e.Status != ouvert.EventCancelled {
		if p.User == nil || (p.User.ID != e.OrganiserID && !p.User.Is(ouvert.RoleModerator)) {
			return nil, errNotFound
		}
	}
	return e, nil
}

func (s *Server) eventShow(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "")
	e, err := s.visibleEvent(r, p)
	if err != nil {
		return err
	}
	d := &eventData{E: e, Description: s.md.HTML(e.Description), Parallel: e.ParallelSessions(), Over: !e.EndsAt.After(p.Now),
		Location: ical.Location(e)}
	for _, a := range e.AxisIDs {
		if ax := p.Process.Axis(a); ax != nil {
			d.Axes = append(d.Axes, ax)
		}
	}
	if d.Report, err = s.db.EventReport(r.Context(), e.ID); err != nil {
		return err
	}
	if d.Report != nil {
		d.ReportHTML = s.md.HTML(d.Report.Report)
	}
	if d.Ideas, err = s.db.EventContributions(r.Context(), e.ID); err != nil {
		return err
	}
	if dep, ok := geo.DepartementByCode(e.Departement); ok {
		d.Dep = dep.Name
		if reg, ok := geo.RegionByCode(dep.RegionCode); ok {
			d.Region = reg.Name
		}
	}
	if p.User != nil {
		if d.Mine, err = s.db.UserRegistration(r.Context(), e.ID, p.User.ID); err != nil {
			return err
		}
		if d.Mine != nil {
			for _, ses := range e.Sessions {
				if ses.ID == d.Mine.SessionID {
					d.MySession = ses.Title
				}
			}
		}
		d.CanManage = p.User.ID == e.OrganiserID || p.User.Is(ouvert.RoleOrganiser)
		d.CanModerate = p.User.Is(ouvert.RoleModerator)
	}
	p.Title = e.Title
	p.Data = d
	s.render(w, r, http.StatusOK, "event", p)
	return nil
}

func (s *Server) eventICS(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "")
	e, err := s.visibleEvent(r, p)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="evenement-%d.ics"`, e.ID))
	w.Write(ical.Calendar("", []*ouvert.Event{e}, s.cfg.BaseURL, s.db.Now()))
	return nil
}

// eventRegister registers the person (for the session they chose when the programme has
// parallel sessions) and mails them a confirmation with the event's .ics.
func (s *Server) eventRegister(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	if u.BlockedAt != nil {
		return ouvert.Errorf(ouvert.EFORBIDDEN, "consultation.blocked")
	}
	p := s.page(r, "")
	e, err := s.visibleEvent(r, p)
	if err != nil {
		return err
	}
	session := atoi(r.PostFormValue("session"))
	if par := e.ParallelSessions(); len(par) > 0 && !slices.ContainsFunc(par, func(x ouvert.EventSession) bool { return x.ID == session }) {
		return ouvert.Errorf(ouvert.EINVALID, "event.choose_session")
	}
	if err := s.allowUser(u, "propose"); err != nil {
		return err
	}
	status, err := s.db.Register(r.Context(), e.ID, session, u.ID)
	if err != nil {
		return err
	}
	if err := s.mailRegistration(r, u.Email, u.Lang, u.DisplayName, e, status); err != nil {
		return err
	}
	s.flash(w, r, "flash.registered_"+status)
	http.Redirect(w, r, "/evenements/"+strconv.FormatInt(e.ID, 10)+"#inscription", http.StatusSeeOther)
	return nil
}

// mailRegistration tells a person where they stand, with the event's .ics when they have a place.
func (s *Server) mailRegistration(r *http.Request, to, lang, name string, e *ouvert.Event, status string) error {
	l := s.cat.Locale(lang, time.UTC)
	if p, err := s.process(r.Context()); err == nil {
		l = s.cat.Locale(lang, p.Location())
	}
	link := fmt.Sprintf("%s/evenements/%d", s.cfg.BaseURL, e.ID)
	m := &store.Message{To: to, Subject: l.T("mail.registration_"+status+".subject", e.Title),
		Body: l.T("mail.registration_"+status+".body", name, e.Title, l.DateTime(e.StartsAt), ical.Location(e), link)}
	if status == ouvert.RegConfirmed || status == "promoted" {
		m.AttachmentName = fmt.Sprintf("evenement-%d.ics", e.ID)
		m.AttachmentType = "text/calendar; charset=utf-8; method=PUBLISH"
		m.Attachment = ical.Calendar("", []*ouvert.Event{e}, s.cfg.BaseURL, s.db.Now())
	}
	return s.send(r, m)
}

// eventCancel cancels the person's registration; the first person waiting gets the place and a mail.
func (s *Server) eventCancel(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	p := s.page(r, "")
	e, err := s.visibleEvent(r, p)
	if err != nil {
		return err
	}
	promoted, err := s.db.CancelRegistration(r.Context(), e.ID, u.ID)
	if err != nil {
		return err
	}
	if promoted != nil {
		pu, err := s.db.UserByID(r.Context(), promoted.UserID)
		if err != nil {
			return err
		}
		if err := s.mailRegistration(r, pu.Email, pu.Lang, pu.DisplayName, e, "promoted"); err != nil {
			return err
		}
	}
	s.flash(w, r, "flash.registration_cancelled")
	http.Redirect(w, r, "/evenements/"+strconv.FormatInt(e.ID, 10)+"#inscription", http.StatusSeeOther)
	return nil
}

// eventNewForm offers anyone signed in to organise a relay workshop; administration
// representatives and organisers may also create an open-ministry event.
func (s *Server) eventNewForm(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	p := s.page(r, "event_new.title")
	if p.Process == nil {
		return errNotFound
	}
	p.Form.Values.Set("kind", string(ouvert.EventRelay))
	p.Form.Values.Set("registration", ouvert.RegistrationOpen)
	p.Form.Values.Set("organiser", u.DisplayName)
	if u.Administration != "" {
		p.Form.Values.Set("host", u.Administration)
	}
	s.render(w, r, http.StatusOK, "event_new", p)
	return nil
}

func (s *Server) eventCreate(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	if u.BlockedAt != nil {
		return ouvert.Errorf(ouvert.EFORBIDDEN, "consultation.blocked")
	}
	p := s.page(r, "event_new.title")
	if p.Process == nil {
		return errNotFound
	}
	if err := parseForm(r, p); err != nil {
		return err
	}
	f := p.Form
	loc := p.Process.Location()
	parse := func(day, hm string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", f.Get(day)+" "+f.Get(hm), loc)
		if err != nil {
			return time.Time{}
		}
		return t
	}
	capacity, _ := strconv.Atoi(strings.TrimSpace(f.Get("capacity")))
	if strings.TrimSpace(f.Get("capacity")) != "" && capacity == 0 && f.Get("capacity") != "0" {
		capacity = -1
	}
	e := &ouvert.Event{
		ProcessID: p.Process.ID, Kind: ouvert.EventKind(f.Get("kind")), Title: strings.TrimSpace(f.Get("title")),
		Description: strings.TrimSpace(f.Get("description")), StartsAt: parse("day", "start"), EndsAt: parse("day", "end"),
		Venue: strings.TrimSpace(f.Get("venue")), Address: strings.TrimSpace(f.Get("address")), Postcode: strings.TrimSpace(f.Get("postcode")),
		OnlineURL: strings.TrimSpace(f.Get("online_url")), Organiser: strings.TrimSpace(f.Get("organiser")), OrganiserID: u.ID,
		HostAdministration: strings.TrimSpace(f.Get("host")), Audience: strings.TrimSpace(f.Get("audience")),
		AccessibilityNote: strings.TrimSpace(f.Get("accessibility_note")), Capacity: capacity,
		Registration: f.Get("registration"), ExternalURL: strings.TrimSpace(f.Get("external_url")),
	}
	for _, a := range f.Values["access"] {
		if slices.Contains(ouvert.AccessibilityFeatures, a) {
			e.Accessibility = append(e.Accessibility, a)
		}
	}
	for _, a := range f.Values["axes"] {
		if p.Process.Axis(atoi(a)) != nil {
			e.AxisIDs = append(e.AxisIDs, atoi(a))
		}
	}
	ouvert.ValidateEvent(e, p.Now, f.Errors)
	switch e.Kind {
	case ouvert.EventRelay:
	case ouvert.EventOpenMinistry:
		if !u.Is(ouvert.RoleAdministration) {
			f.Errors.Add("kind", "event.open_ministry_reserved")
		} else if e.HostAdministration == "" {
			f.Errors.Add("host", "form.required")
		}
	default:
		f.Errors.Add("kind", "form.choose")
	}
	if e.Organiser == "" {
		f.Errors.Add("organiser", "form.required")
	}
	if e.Postcode != "" && ouvert.ValidPostcode(e.Postcode) {
		communes := geo.CommunesByPostcode(e.Postcode)
		name := strings.TrimSpace(f.Get("commune"))
		var found *geo.Commune
		for i := range communes {
			if name == "" && len(communes) == 1 || strings.EqualFold(communes[i].Name, name) {
				found = &communes[i]
			}
		}
		switch {
		case len(communes) == 0:
			f.Errors.Add("postcode", "event.unknown_postcode")
		case found == nil:
			f.Errors.Add("commune", "event.choose_commune")
			p.Data = communes
		default:
			e.Commune, e.Departement = found.Name, found.DepartementCode
			if dep, ok := geo.DepartementByCode(found.DepartementCode); ok {
				e.Region = dep.RegionCode
			}
		}
	}
	if f.HasErrors() {
		s.render(w, r, http.StatusUnprocessableEntity, "event_new", p)
		return nil
	}
	if err := s.allowUser(u, "propose"); err != nil {
		return err
	}
	e.Status = ouvert.EventPending
	if p.Process.PublishEventsAtOnce || u.Is(ouvert.RoleModerator) {
		e.Status = ouvert.EventPublished
	}
	if err := s.db.CreateEvent(r.Context(), e); err != nil {
		return err
	}
	s.forgetProcess()
	s.flash(w, r, "flash.event_"+e.Status)
	http.Redirect(w, r, "/evenements/"+strconv.FormatInt(e.ID, 10), http.StatusSeeOther)
	return nil
}

// eventModerate lets moderators publish or reject a pending event.
func (s *Server) eventModerate(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	if !u.Is(ouvert.RoleModerator) {
		return errForbidden
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	e, err := s.db.Event(r.Context(), id)
	if err != nil {
		return err
	}
	status := ouvert.EventPublished
	if r.PostFormValue("action") == "reject" {
		status = ouvert.EventRejected
	}
	if err := s.db.SetEventStatus(r.Context(), id, status); err != nil {
		return err
	}
	s.forgetProcess()
	if e.OrganiserID != 0 {
		if org, err := s.db.UserByID(r.Context(), e.OrganiserID); err == nil {
			if err := s.mail(r, org.Email, org.Lang, "mail.event_"+status, e.Title, fmt.Sprintf("%s/evenements/%d", s.cfg.BaseURL, e.ID)); err != nil {
				return err
			}
		}
	}
	s.flash(w, r, "flash.moderated")
	http.Redirect(w, r, safeNext(r.PostFormValue("next"), "/moderation"), http.StatusSeeOther)
	return nil
}

// eventRegistrations shows an event's registrations to its organiser (and the process'
// organisers), with a CSV export holding only what is needed to welcome people.
func (s *Server) eventRegistrations(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "event.registrations")
	e, err := s.manageableEvent(w, r, p)
	if e == nil {
		return err
	}
	regs, err := s.db.Registrations(r.Context(), e.ID)
	if err != nil {
		return err
	}
	if strings.HasSuffix(r.URL.Path, ".csv") {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="inscriptions-%d.csv"`, e.ID))
		w.Header().Set("Cache-Control", "private, no-store")
		return writeRegistrationsCSV(w, e, regs)
	}
	p.Title = p.L.T("event.registrations") + " – " + e.Title
	p.Data = registrationsData{E: e, Regs: regs}
	s.render(w, r, http.StatusOK, "event_registrations", p)
	return nil
}

type registrationsData struct {
	E    *ouvert.Event
	Regs []store.Registration
}

// manageableEvent returns an event that the person organises (or any, for organisers).
func (s *Server) manageableEvent(w http.ResponseWriter, r *http.Request, p *page) (*ouvert.Event, error) {
	if p.User == nil {
		requireUser(w, r)
		return nil, nil
	}
	e, err := s.visibleEvent(r, p)
	if err != nil {
		return nil, err
	}
	if p.User.ID != e.OrganiserID && !p.User.Is(ouvert.RoleOrganiser) {
		return nil, errForbidden
	}
	return e, nil
}

// eventAccept accepts a pending registration and tells the person.
func (s *Server) eventAccept(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "event.registrations")
	e, err := s.manageableEvent(w, r, p)
	if e == nil {
		return err
	}
	rid, err := strconv.ParseInt(r.PathValue("rid"), 10, 64)
	if err != nil {
		return errNotFound
	}
	status, userID, err := s.db.AcceptRegistration(r.Context(), e.ID, rid)
	if err != nil {
		return err
	}
	u, err := s.db.UserByID(r.Context(), userID)
	if err != nil {
		return err
	}
	if err := s.mailRegistration(r, u.Email, u.Lang, u.DisplayName, e, status); err != nil {
		return err
	}
	s.flash(w, r, "flash.registration_accepted")
	http.Redirect(w, r, fmt.Sprintf("/evenements/%d/inscriptions", e.ID), http.StatusSeeOther)
	return nil
}

// eventAttendance records who came.
func (s *Server) eventAttendance(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "event.registrations")
	e, err := s.manageableEvent(w, r, p)
	if e == nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return ouvert.Errorf(ouvert.EINVALID, "error.invalid")
	}
	var present []int64
	for _, v := range r.PostForm["present"] {
		present = append(present, atoi(v))
	}
	if err := s.db.SetAttendance(r.Context(), e.ID, present); err != nil {
		return err
	}
	s.flash(w, r, "flash.attendance_saved")
	http.Redirect(w, r, fmt.Sprintf("/evenements/%d/inscriptions", e.ID), http.StatusSeeOther)
	return nil
}

// eventContact writes to every registered and waiting person; replies go to the organiser.
func (s *Server) eventContact(w http.ResponseWriter, r *http.Request) error {
	p := s.page(r, "event.registrations")
	e, err := s.manageableEvent(w, r, p)
	if e == nil {
		return err
	}
	if err := parseForm(r, p); err != nil {
		return err
	}
	subject, message := strings.TrimSpace(p.Form.Get("subject")), strings.TrimSpace(p.Form.Get("message"))
	if subject == "" || strings.ContainsAny(subject, "\r\n") || len(subject) > 150 {
		p.Form.Errors.Add("subject", "form.required")
	}
	if message == "" || len(message) > 5000 {
		p.Form.Errors.Add("message", "form.required")
	}
	regs, err := s.db.Registrations(r.Context(), e.ID)
	if err != nil {
		return err
	}
	if p.Form.HasErrors() {
		p.Title = p.L.T("event.registrations") + " – " + e.Title
		p.Data = registrationsData{E: e, Regs: regs}
		s.render(w, r, http.StatusUnprocessableEntity, "event_registrations", p)
		return nil
	}
	if err := s.allowUser(p.User, "contact"); err != nil {
		return err
	}
	msgs := make([]*store.Message, 0, len(regs))
	for _, reg := range regs {
		msgs = append(msgs, &store.Message{To: reg.Email, ReplyTo: p.User.Email, Subject: "[" + e.Title + "] " + subject,
			Body: message + "\n\n-- \n" + fmt.Sprintf("%s/evenements/%d", s.cfg.BaseURL, e.ID)})
	}
	if err := s.send(r, msgs...); err != nil {
		return err
	}
	s.flash(w, r, "flash.registrants_contacted")
	http.Redirect(w, r, fmt.Sprintf("/evenements/%d/inscriptions", e.ID), http.StatusSeeOther)
	return nil
}
