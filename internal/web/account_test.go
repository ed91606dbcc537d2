package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"ouvert/internal/auth"
	"ouvert/internal/ouvert"
)

func signupForm(email, password string) url.Values {
	return url.Values{"email": {email}, "password": {password}, "display_name": {"Claire D."},
		"category": {"association"}, "accept": {"yes"}}
}

func TestSignupConfirmLoginLogout(t *testing.T) {
	a := newApp(t)
	c := a.client()
	res := c.post("/inscription", signupForm("claire@exemple.fr", goodPassword))
	if res.Status != http.StatusOK {
		t.Fatalf("sign-up: status %d", res.Status)
	}
	contains(t, res, "claire@exemple.fr", "Vérifiez votre messagerie")

	// Not confirmed yet: logging in sends a new link and says so.
	res = c.post("/connexion", url.Values{"email": {"claire@exemple.fr"}, "password": {goodPassword}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("log-in before confirmation: status %d", res.Status)
	}
	contains(t, res, "pas encore confirmée")

	link := a.mailLink("claire@exemple.fr")
	if !strings.HasPrefix(link, "/confirmer?jeton=") {
		t.Fatalf("confirmation link %q", link)
	}
	res = c.get(link)
	if res.Status != http.StatusSeeOther || res.Location != "/profil" {
		t.Fatalf("confirm: status %d to %q", res.Status, res.Location)
	}
	res = c.get("/profil")
	contains(t, res, "Votre adresse est confirmée", "claire@exemple.fr", "Claire D.")
	if again := c.get(link); again.Status != http.StatusNotFound {
		t.Errorf("a confirmation link worked twice: status %d", again.Status)
	}

	res = c.post("/deconnexion", nil)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("log out: status %d", res.Status)
	}
	if res := c.get("/profil"); res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/connexion") {
		t.Fatalf("profile after log-out: status %d to %q", res.Status, res.Location)
	}
	res = c.post("/connexion", url.Values{"email": {"CLAIRE@exemple.fr"}, "password": {goodPassword}, "next": {"/profil"}})
	if res.Status != http.StatusSeeOther || res.Location != "/profil" {
		t.Fatalf("log-in: status %d to %q", res.Status, res.Location)
	}
	u, _ := a.db.UserByEmail(context.Background(), "claire@exemple.fr")
	if !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
		t.Errorf("password stored as %q, want argon2id", u.PasswordHash[:12])
	}
}

func TestSignupRefusalKeepsWhatWasTyped(t *testing.T) {
	a := newApp(t)
	c := a.client()
	before, _ := a.db.CountUsers(context.Background())
	tests := []struct {
		form url.Values
		want string
	}{
		{signupForm("claire@exemple.fr", "court"), "au moins 12 caractères"},
		{signupForm("claire@exemple.fr", "motdepasse2024!"), "trop courant"},
		{signupForm("claire.dupont@exemple.fr", "claire.dupont-2024"), "ne doit pas contenir votre adresse"},
		{signupForm("pas-une-adresse", goodPassword), "adresse électronique valide"},
	}
	for _, tt := range tests {
		res := c.post("/inscription", tt.form)
		if res.Status != http.StatusUnprocessableEntity {
			t.Errorf("%v: status %d", tt.form, res.Status)
		}
		contains(t, res, tt.want, "Le formulaire contient des erreurs", `value="`+tt.form.Get("email")+`"`, `value="Claire D."`, `value="association" checked`)
		lacks(t, res, `value="`+tt.form.Get("password")+`"`)
	}
	form := signupForm("claire@exemple.fr", goodPassword)
	form.Del("accept")
	res := c.post("/inscription", form)
	contains(t, res, "Cochez la case")
	if n, _ := a.db.CountUsers(context.Background()); n != before {
		t.Errorf("%d accounts created by refused forms", n-before)
	}
}

// TestSignupDoesNotRevealAccounts: signing up with a taken address shows the same page and
// mails the owner instead.
func TestSignupDoesNotRevealAccounts(t *testing.T) {
	a := newApp(t)
	a.user("pris@exemple.fr", ouvert.RoleParticipant)
	c := a.client()
	taken := c.post("/inscription", signupForm("pris@exemple.fr", goodPassword))
	free := c.post("/inscription", signupForm("libre@exemple.fr", goodPassword))
	if taken.Status != free.Status || strings.ReplaceAll(taken.Body, "pris@", "libre@") != free.Body {
		t.Errorf("sign-up pages differ for a taken and a free address")
	}
	msgs, _ := a.db.MailTo(context.Background(), "pris@exemple.fr")
	if len(msgs) != 1 || !strings.Contains(msgs[0].Body, "qui en a déjà un") {
		t.Errorf("owner of the taken address got %+v", msgs)
	}
}

func TestLoginFailures(t *testing.T) {
	a := newApp(t)
	a.user("a@exemple.fr", ouvert.RoleParticipant)
	c := a.client()
	unknown := c.post("/connexion", url.Values{"email": {"inconnu@exemple.fr"}, "password": {goodPassword}})
	wrong := c.post("/connexion", url.Values{"email": {"a@exemple.fr"}, "password": {"mauvais mot de passe"}})
	for _, res := range []response{unknown, wrong} {
		if res.Status != http.StatusUnprocessableEntity {
			t.Errorf("failed log-in: status %d", res.Status)
		}
		contains(t, res, "Adresse électronique ou mot de passe incorrect")
	}
	contains(t, wrong, `value="a@exemple.fr"`)
	for range 4 {
		c.post("/connexion", url.Values{"email": {"a@exemple.fr"}, "password": {"mauvais mot de passe"}})
	}
	// Five failures in a row lock the account, even with the right password.
	res := c.post("/connexion", url.Values{"email": {"a@exemple.fr"}, "password": {goodPassword}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("log-in on a locked account: status %d", res.Status)
	}
	contains(t, res, "Trop de tentatives pour ce compte")
}

func TestPasswordReset(t *testing.T) {
	a := newApp(t)
	a.user("a@exemple.fr", ouvert.RoleParticipant)
	c := a.client()
	known := c.post("/mot-de-passe-oublie", url.Values{"email": {"a@exemple.fr"}})
	unknown := c.post("/mot-de-passe-oublie", url.Values{"email": {"b@exemple.fr"}})
	if known.Status != http.StatusOK || strings.ReplaceAll(known.Body, "a@exemple.fr", "b@exemple.fr") != unknown.Body {
		t.Fatal("the reset page tells a known address from an unknown one")
	}
	if msgs, _ := a.db.MailTo(context.Background(), "b@exemple.fr"); len(msgs) != 0 {
		t.Fatalf("mail sent to an address without account: %+v", msgs)
	}
	link := a.mailLink("a@exemple.fr")
	if res := c.get(link); res.Status != http.StatusOK {
		t.Fatalf("reset form: status %d", res.Status)
	}
	tok := strings.TrimPrefix(link, "/reinitialiser?jeton=")
	tok, _ = url.QueryUnescape(tok)
	res := c.post("/reinitialiser", url.Values{"jeton": {tok}, "password": {"court"}})
	contains(t, res, "au moins 12 caractères", `name="jeton" value="`+tok+`"`)
	res = c.post("/reinitialiser", url.Values{"jeton": {tok}, "password": {"un tout nouveau mot de passe"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("reset: status %d\n%s", res.Status, res.Body)
	}
	if res := c.post("/reinitialiser", url.Values{"jeton": {tok}, "password": {"encore un autre mot de passe"}}); res.Status != http.StatusNotFound {
		t.Errorf("a reset link worked twice: status %d", res.Status)
	}
	u, _ := a.db.UserByEmail(context.Background(), "a@exemple.fr")
	if auth.Verify("un tout nouveau mot de passe", u.PasswordHash) != nil {
		t.Error("new password not saved")
	}
}

func TestProfileOrganisationsAndDeletion(t *testing.T) {
	a := newApp(t)
	c, u := a.user("a@exemple.fr", ouvert.RoleParticipant)
	other, _ := a.user("b@exemple.fr", ouvert.RoleParticipant)
	res := c.post("/profil", url.Values{"display_name": {""}, "category": {"research"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("empty name accepted: %d", res.Status)
	}
	contains(t, res, "Ce champ est obligatoire", `value="research" checked`)
	res = c.post("/profil", url.Values{"display_name": {"Pseudo"}, "category": {"research"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("profile save: %d", res.Status)
	}
	contains(t, c.get("/profil"), `value="Pseudo"`, "Profil enregistré")

	res = c.post("/profil/organisations", url.Values{"org_name": {"Regards Citoyens"}, "org_category": {"association"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("create organisation: %d\n%s", res.Status, res.Body)
	}
	ms, _ := a.db.UserOrganisations(context.Background(), u.ID)
	if len(ms) != 1 {
		t.Fatalf("organisations = %+v", ms)
	}
	id := ms[0].Organisation.ID
	// b is not an administrator of the organisation: refused.
	if res := other.post("/profil/organisations/"+itoa(id)+"/membres", url.Values{"email": {"b@exemple.fr"}}); res.Status != http.StatusForbidden {
		t.Errorf("a non-member added a member: status %d", res.Status)
	}
	c.post("/profil/organisations/"+itoa(id)+"/membres", url.Values{"email": {"b@exemple.fr"}})
	contains(t, other.get("/profil"), "Regards Citoyens", "2 membres")

	res = c.post("/profil/supprimer", url.Values{"password": {"pas le bon"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("deletion with a wrong password: %d", res.Status)
	}
	res = c.post("/profil/supprimer", url.Values{"password": {goodPassword}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("deletion: %d", res.Status)
	}
	if _, err := a.db.UserByID(context.Background(), u.ID); ouvert.ErrorCode(err) != ouvert.ENOTFOUND {
		t.Errorf("account still there: %v", err)
	}
	contains(t, other.get("/profil"), "Regards Citoyens", "1 membre")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestPersonalDataAndDeletionChoices(t *testing.T) {
	a := newApp(t)
	keep, _ := a.user("garde@exemple.fr", ouvert.RoleParticipant)
	drop, _ := a.user("retire@exemple.fr", ouvert.RoleParticipant)
	p := a.process()
	kept := keep.publish(p.Axes[0].ID, "Idée gardée", "Une idée qui reste après la suppression.")
	gone := drop.publish(p.Axes[0].ID, "Idée retirée", "Une idée retirée avec le compte.")
	keep.post("/contributions/"+itoa(gone)+"/vote", url.Values{"value": {"agree"}})
	data := keep.get("/profil/donnees")
	if data.Status != http.StatusOK || !strings.Contains(data.Body, `"email": "garde@exemple.fr"`) || !strings.Contains(data.Body, "Idée gardée") ||
		!strings.Contains(data.Body, `"contribution_id": `+itoa(gone)) {
		t.Fatalf("personal data: %d\n%s", data.Status, data.Body)
	}
	if res := a.client().get("/profil/donnees"); res.Status != http.StatusSeeOther {
		t.Errorf("anonymous download: %d", res.Status)
	}
	before := a.process().Contributions
	keep.post("/profil/supprimer", url.Values{"password": {goodPassword}, "content": {"keep"}})
	drop.post("/profil/supprimer", url.Values{"password": {goodPassword}, "content": {"delete"}})
	contains(t, a.client().get("/contributions/"+itoa(kept)), "Idée gardée", "un compte supprimé")
	page := a.client().get("/contributions/" + itoa(gone))
	lacks(t, page, "Idée retirée", "retirée avec le compte")
	if got := a.process().Contributions; got != before-1 {
		t.Errorf("published contributions %d, want %d", got, before-1)
	}
	// The vote of the deleted account still counts.
	c, _ := a.db.Contribution(context.Background(), gone)
	if c.Agree != 1 {
		t.Errorf("votes after deletion: %d", c.Agree)
	}
}
