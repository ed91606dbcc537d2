package web

import (
	"net/http"
	"strings"

	"ouvert/internal/ouvert"
	"ouvert/internal/store"
)

type moderationData struct {
	Events  []*ouvert.Event // awaiting approval
	Queue   []store.QueueItem
	Log     []store.LogEntry
	Reasons []string
}

// moderation shows moderators the queue of reported items and the log of decisions.
func (s *Server) moderation(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	if !u.Is(ouvert.RoleModerator) {
		return errForbidden
	}
	q, err := s.db.ModerationQueue(r.Context(), 50)
	if err != nil {
		return err
	}
	log, err := s.db.ModerationLog(r.Context(), 50)
	if err != nil {
		return err
	}
	p := s.page(r, "moderation.title")
	var pending []*ouvert.Event
	if p.Process != nil {
		if pending, _, err = s.db.Events(r.Context(), store.EventFilter{ProcessID: p.Process.ID, Status: ouvert.EventPending, PerPage: 100}); err != nil {
			return err
		}
	}
	p.Data = moderationData{Events: pending, Queue: q, Log: log, Reasons: ouvert.ReportReasons}
	s.render(w, r, http.StatusOK, "moderation", p)
	return nil
}

// moderationDecide hides (with a reason) or restores a contribution or argument.
func (s *Server) moderationDecide(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	if !u.Is(ouvert.RoleModerator) {
		return errForbidden
	}
	targetType, id := r.PostFormValue("type"), atoi(r.PostFormValue("id"))
	hide := r.PostFormValue("action") == "hide"
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if !hide {
		reason = "" // the reason list is for hiding; keeping or restoring a text needs none
	}
	if err := s.db.Moderate(r.Context(), u.ID, targetType, id, hide, reason); err != nil {
		return err
	}
	s.forgetProcess()
	s.flash(w, r, "flash.moderated")
	http.Redirect(w, r, safeNext(r.PostFormValue("next"), "/moderation"), http.StatusSeeOther)
	return nil
}

// moderationBlock blocks an account (it may read, not write) or unblocks it.
func (s *Server) moderationBlock(w http.ResponseWriter, r *http.Request) error {
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
	if id == u.ID {
		return ouvert.Errorf(ouvert.EFORBIDDEN, "moderation.not_self")
	}
	target, err := s.db.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	if target.Is(ouvert.RoleModerator) && !u.Is(ouvert.RoleOrganiser) {
		return errForbidden
	}
	block := r.PostFormValue("block") == "1"
	if err := s.db.SetBlocked(r.Context(), u.ID, id, block, strings.TrimSpace(r.PostFormValue("reason"))); err != nil {
		return err
	}
	s.flash(w, r, "flash.blocked")
	http.Redirect(w, r, safeNext(r.PostFormValue("next"), "/moderation"), http.StatusSeeOther)
	return nil
}

type notificationsData struct {
	Items []store.Notification
}

// notifications lists a person's notifications and marks them read.
func (s *Server) notifications(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	ns, err := s.db.Notifications(r.Context(), u.ID, 100)
	if err != nil {
		return err
	}
	if err := s.db.MarkNotificationsRead(r.Context(), u.ID); err != nil {
		return err
	}
	p := s.page(r, "notifications.title")
	p.Data = notificationsData{Items: ns}
	s.render(w, r, http.StatusOK, "notifications", p)
	return nil
}

func (s *Server) digestSetting(w http.ResponseWriter, r *http.Request) error {
	u := requireUser(w, r)
	if u == nil {
		return nil
	}
	if err := s.db.SetDigest(r.Context(), u.ID, r.PostFormValue("digest") == "1"); err != nil {
		return err
	}
	s.flash(w, r, "flash.profile_saved")
	http.Redirect(w, r, "/notifications", http.StatusSeeOther)
	return nil
}
