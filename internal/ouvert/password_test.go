package ouvert

import "testing"

func TestValidatePassword(t *testing.T) {
	tests := []struct {
		password, email, want string
	}{
		{"short", "a@b.fr", "password.too_short"},
		{"elevenchars", "a@b.fr", "password.too_short"},
		{"motdepasse123", "a@b.fr", "password.common"},
		{"Password1234!", "a@b.fr", "password.common"},
		{"azertyazertyazerty", "a@b.fr", "password.common"},
		{"123456789012", "a@b.fr", "password.common"},
		{"aaaaaaaaaaaa", "a@b.fr", "password.common"},
		{"abcabcabcabc", "a@b.fr", "password.common"},
		{"claire.dupont2024", "claire.dupont@exemple.fr", "password.contains_email"},
		{"xxClaire.Dupont@Exemple.frxx", "claire.dupont@exemple.fr", "password.contains_email"},
		{"cheval batterie agrafe", "claire.dupont@exemple.fr", ""},
		{"Gouvernement-ouvert-2017-Plan!", "a@b.fr", ""},
	}
	for _, tt := range tests {
		errs := FieldErrors{}
		ValidatePassword(tt.password, tt.email, errs)
		if got := errs["password"]; got != tt.want {
			t.Errorf("ValidatePassword(%q, %q) = %q, want %q", tt.password, tt.email, got, tt.want)
		}
	}
}

func TestValidEmail(t *testing.T) {
	for s, want := range map[string]bool{
		"claire@exemple.fr":          true,
		"Claire <claire@exemple.fr>": false,
		"claire@localhost":           false,
		"":                           false,
		"pas une adresse":            false,
	} {
		if got := ValidEmail(s); got != want {
			t.Errorf("ValidEmail(%q) = %v, want %v", s, got, want)
		}
	}
}
