package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"ouvert/internal/ouvert"
	"ouvert/internal/web"
)

// openAPI is the document the server publishes, read once per test.
type openAPI struct {
	Paths      map[string]map[string]any `json:"paths"`
	Components struct {
		Schemas map[string]map[string]any `json:"schemas"`
	} `json:"components"`
}

// checkShape reports where v departs from schema: a missing or unknown property, a wrong type.
func checkShape(t *testing.T, doc *openAPI, schema map[string]any, v any, where string) {
	t.Helper()
	if ref, ok := schema["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		checkShape(t, doc, doc.Components.Schemas[name], v, where+"<"+name+">")
		return
	}
	if v == nil && schema["nullable"] == true {
		return
	}
	switch schema["type"] {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			t.Errorf("%s: %T, want an object", where, v)
			return
		}
		props, _ := schema["properties"].(map[string]any)
		for k := range m {
			if _, ok := props[k]; !ok {
				t.Errorf("%s: property %q is not in the OpenAPI document", where, k)
			}
		}
		for _, r := range schema["required"].([]any) {
			if _, ok := m[r.(string)]; !ok {
				t.Errorf("%s: required property %q missing", where, r)
			}
		}
		for k, sub := range props {
			if x, ok := m[k]; ok {
				checkShape(t, doc, sub.(map[string]any), x, where+"."+k)
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			t.Errorf("%s: %T, want an array", where, v)
			return
		}
		for i, x := range a {
			checkShape(t, doc, schema["items"].(map[string]any), x, fmt.Sprintf("%s[%d]", where, i))
		}
	case "string":
		s, ok := v.(string)
		if !ok {
			t.Errorf("%s: %T, want a string", where, v)
		} else if schema["format"] == "date-time" {
			if _, err := time.Parse(time.RFC3339, s); err != nil {
				t.Errorf("%s: %q is not a date-time", where, s)
			}
		}
		if enum, ok := schema["enum"].([]any); ok {
			found := false
			for _, e := range enum {
				found = found || e == v
			}
			if !found {
				t.Errorf("%s: %v not in %v", where, v, enum)
			}
		}
	case "integer":
		if f, ok := v.(float64); !ok || f != float64(int64(f)) {
			t.Errorf("%s: %v, want an integer", where, v)
		}
	case "number":
		if _, ok := v.(float64); !ok {
			t.Errorf("%s: %T, want a number", where, v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			t.Errorf("%s: %T, want a boolean", where, v)
		}
	}
}

func (c *client) getJSON(path string) (response, any) {
	c.a.t.Helper()
	res := c.get(path)
	var v any
	if err := json.Unmarshal([]byte(res.Body), &v); err != nil {
		c.a.t.Fatalf("%s: not JSON (%d): %.200s", path, res.Status, res.Body)
	}
	return res, v
}

func TestAPI(t *testing.T) {
	a := newApp(t)
	author, _ := a.user("auteur@exemple.fr", ouvert.RoleParticipant)
	p := a.process()
	hiddenID := author.publish(p.Axes[0].ID, "Texte secret à masquer", "Ce texte sera masqué par la modération.")
	mod, _ := a.user("mod@exemple.fr", ouvert.RoleModerator)
	mod.post("/moderation/decision", url.Values{"type": {"contribution"}, "id": {itoa(hiddenID)}, "action": {"hide"}, "reason": {"personal_data"}})

	c := a.client()
	res, docv := c.getJSON("/api/v1/openapi.json")
	var doc openAPI
	json.Unmarshal([]byte(res.Body), &doc)
	if docv.(map[string]any)["openapi"] != "3.0.3" || len(doc.Paths) < 7 {
		t.Fatalf("openapi.json: %v paths", len(doc.Paths))
	}
	schema := func(path string, status string) map[string]any {
		op := doc.Paths[path]["get"].(map[string]any)
		resp := op["responses"].(map[string]any)[status].(map[string]any)
		return resp["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
	}
	var all []string
	check := func(path, docPath, status string) any {
		t.Helper()
		res, v := c.getJSON(path)
		if fmt.Sprint(res.Status) != status {
			t.Fatalf("%s: status %d, want %s", path, res.Status, status)
		}
		checkShape(t, &doc, schema(docPath, status), v, path)
		all = append(all, res.Body)
		return v
	}
	check("/api/v1/processes", "/api/v1/processes", "200")
	check("/api/v1/processes/"+p.Slug, "/api/v1/processes/{slug}", "200")
	check("/api/v1/processes/inconnu", "/api/v1/processes/{slug}", "404")
	// The dashboard's figures: what the origins and the axes count adds up to the published
	// contributions, which leave out the hidden one.
	proc := check("/api/v1/processes/"+p.Slug, "/api/v1/processes/{slug}", "200").(map[string]any)
	stats := check("/api/v1/processes/"+p.Slug+"/statistics", "/api/v1/processes/{slug}/statistics", "200").(map[string]any)
	check("/api/v1/processes/inconnu/statistics", "/api/v1/processes/{slug}/statistics", "404")
	sum := func(key, field string) (n float64) {
		for _, x := range stats[key].([]any) {
			n += x.(map[string]any)[field].(float64)
		}
		return n
	}
	if n := stats["contributions"].(float64); n == 0 || n != proc["contributions"].(float64) || sum("origins", "contributions") != n ||
		sum("axes", "contributions") != n || len(stats["weeks"].([]any)) == 0 || sum("publics", "participants") == 0 {
		t.Errorf("statistics: %v, process %v", stats, proc["contributions"])
	}
	// Every contribution, page after page, each once.
	seen := map[float64]bool{}
	next, pages := "", 0
	for {
		v := check("/api/v1/contributions?limit=7&cursor="+next, "/api/v1/contributions", "200").(map[string]any)
		for _, it := range v["items"].([]any) {
			id := it.(map[string]any)["id"].(float64)
			if seen[id] {
				t.Fatalf("contribution %v twice", id)
			}
			seen[id] = true
		}
		pages++
		if next = v["next"].(string); next == "" {
			break
		}
	}
	if len(seen) != 33 || pages != 5 {
		t.Errorf("paged through %d contributions in %d pages, want 33 in 5", len(seen), pages)
	}
	check("/api/v1/contributions?cursor=abc", "/api/v1/contributions", "422")
	check("/api/v1/contributions?limit=5000", "/api/v1/contributions", "422")
	hidden := check("/api/v1/contributions/"+itoa(hiddenID), "/api/v1/contributions/{id}", "200").(map[string]any)
	if hidden["status"] != "hidden" || hidden["hidden_reason"] != "personal_data" || hidden["title"] != "" || hidden["body"] != "" || hidden["author"] != "" {
		t.Errorf("hidden contribution shows %v", hidden)
	}
	check("/api/v1/contributions/999999", "/api/v1/contributions/{id}", "404")
	check("/api/v1/contributions/1/arguments", "/api/v1/contributions/{id}/arguments", "200")
	ev := check("/api/v1/events", "/api/v1/events", "200").(map[string]any)
	if n := len(ev["items"].([]any)); n != 6 {
		t.Errorf("%d events", n)
	}
	check("/api/v1/events/1", "/api/v1/events/{id}", "200")
	// Syntheses, and the answers in contributions.
	org, _ := a.user("org@exemple.fr", ouvert.RoleOrganiser)
	org.post("/contributions/1/reponse", url.Values{"response": {"retained"}, "reason": {"Repris."}})
	org.post("/contributions/2/reponse", url.Values{"response": {"merged"}, "target": {"C-1"}, "reason": {"Même idée."}})
	org.post("/synthese/redaction", url.Values{"axis": {"0"}, "title": {"Synthèse générale"}, "draft": {"Voir [[C-1]].\n\n[[chiffres]]"}, "action": {"publish"}})
	org.post("/synthese/redaction", url.Values{"axis": {"0"}, "title": {"Synthèse générale"}, "draft": {"Voir [[C-1]] et [[C-2]]."}, "action": {"publish"}})
	syns := check("/api/v1/syntheses", "/api/v1/syntheses", "200").(map[string]any)["items"].([]any)
	if len(syns) != 1 || len(syns[0].(map[string]any)["versions"].([]any)) != 1 {
		t.Fatalf("syntheses = %v", syns)
	}
	id := fmt.Sprint(syns[0].(map[string]any)["id"])
	full := check("/api/v1/syntheses/"+id, "/api/v1/syntheses/{id}", "200").(map[string]any)
	if vs := full["versions"].([]any); len(vs) != 2 || !strings.Contains(vs[1].(map[string]any)["text"].(string), "| Contributions |") || fmt.Sprint(full["cites"]) != "[1 2]" {
		t.Errorf("synthesis = %v", full)
	}
	check("/api/v1/syntheses/999", "/api/v1/syntheses/{id}", "404")
	merged := check("/api/v1/contributions?response=merged", "/api/v1/contributions", "200").(map[string]any)["items"].([]any)
	if len(merged) != 1 || merged[0].(map[string]any)["response"].(map[string]any)["merged_into"] != float64(1) {
		t.Errorf("merged contributions = %v", merged)
	}
	for _, body := range all {
		for _, private := range []string{"@exemple.fr", "@ouvert.invalid", "Texte secret", "password", "$argon2"} {
			if strings.Contains(body, private) {
				t.Errorf("the API shows %q", private)
			}
		}
	}
	if res, v := c.getJSON("/api/v1/nulle-part"); res.Status != http.StatusNotFound || v.(map[string]any)["error"] == nil {
		t.Errorf("unknown API path: %d %v", res.Status, v)
	}

	// ETag and If-None-Match.
	first := c.get("/api/v1/contributions/1")
	etag := first.Header.Get("ETag")
	req, _ := http.NewRequest("GET", a.srv.URL+"/api/v1/contributions/1", nil)
	req.Header.Set("If-None-Match", etag)
	if res := c.do(req); etag == "" || res.Status != http.StatusNotModified || res.Body != "" {
		t.Errorf("If-None-Match %q: %d", etag, res.Status)
	}
	voter, _ := a.user("v@exemple.fr", ouvert.RoleParticipant)
	voter.post("/contributions/1/vote", url.Values{"value": {"agree"}})
	req, _ = http.NewRequest("GET", a.srv.URL+"/api/v1/contributions/1", nil)
	req.Header.Set("If-None-Match", etag)
	if res := c.do(req); res.Status != http.StatusOK {
		t.Errorf("after a vote, the old ETag still matches: %d", res.Status)
	}
}

func TestAPIRateLimit(t *testing.T) {
	a := newApp(t, func(c *web.Config) { c.Limits.API = web.Limit{Burst: 3, Every: time.Hour} })
	c := a.client()
	for i := range 3 {
		if res := c.get("/api/v1/processes"); res.Status != http.StatusOK {
			t.Fatalf("call %d: %d", i+1, res.Status)
		}
	}
	res := c.get("/api/v1/processes")
	if res.Status != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(res.Body, `"too_many_requests"`) {
		t.Fatalf("fourth call: %d %s", res.Status, res.Body)
	}
}

func TestOpenDataDownloads(t *testing.T) {
	a := newApp(t)
	c := a.client()
	contains(t, c.get("/opendata/"), "Données ouvertes", "contributions.csv", "Licence Ouverte 2.0")
	zipRes := c.get("/opendata/ouvert-opendata.zip")
	if zipRes.Status != http.StatusOK || zipRes.Header.Get("Content-Type") != "application/zip" || !strings.HasPrefix(zipRes.Body, "PK") {
		t.Fatalf("archive: %d %q", zipRes.Status, zipRes.Header.Get("Content-Type"))
	}
	table := c.get("/opendata/contributions.csv")
	if table.Status != http.StatusOK || !strings.Contains(table.Body, "Ouvrir les données de la qualité des soins des hôpitaux") {
		t.Fatalf("table: %d", table.Status)
	}
	if res := c.get("/opendata/..%2fouvert.db"); res.Status != http.StatusNotFound {
		t.Errorf("path escape: %d", res.Status)
	}
	part, _ := a.user("p@exemple.fr", ouvert.RoleParticipant)
	if res := part.post("/opendata/reconstruire", nil); res.Status != http.StatusForbidden {
		t.Errorf("a participant rebuilt the archive: %d", res.Status)
	}
	org, _ := a.user("o@exemple.fr", ouvert.RoleOrganiser)
	if res := org.post("/opendata/reconstruire", nil); res.Status != http.StatusSeeOther {
		t.Errorf("rebuild: %d", res.Status)
	}
}
