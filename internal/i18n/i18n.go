// Package i18n holds Ouvert's message catalogues (French first, English second) and formats
// dates and numbers per language. Catalogues are embedded text files of "key = value" lines;
// a key ending in .one or .other is a plural form chosen by Locale.N.
package i18n

import (
	"bufio"
	"embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
)

//go:embed *.txt
var files embed.FS

// Langs lists the languages Ouvert speaks, the default first.
var Langs = []string{"fr", "en"}

// Default is the language of a first visit when the browser asks for none we speak.
const Default = "fr"

var matcher = language.NewMatcher([]language.Tag{language.French, language.English})

// Catalog holds every message in every language.
type Catalog struct {
	msgs map[string]map[string]string
}

// Load parses the embedded catalogues and checks that every language has the same keys.
func Load() (*Catalog, error) {
	c := &Catalog{msgs: map[string]map[string]string{}}
	for _, lang := range Langs {
		f, err := files.Open(lang + ".txt")
		if err != nil {
			return nil, fmt.Errorf("i18n: %w", err)
		}
		m := map[string]string{}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				f.Close()
				return nil, fmt.Errorf("i18n: %s.txt:%d: want key = value", lang, n)
			}
			k = strings.TrimSpace(k)
			if _, dup := m[k]; dup {
				f.Close()
				return nil, fmt.Errorf("i18n: %s.txt:%d: %q defined twice", lang, n, k)
			}
			m[k] = strings.ReplaceAll(strings.TrimSpace(v), `\n`, "\n")
		}
		f.Close()
		c.msgs[lang] = m
	}
	if missing := c.Missing(); len(missing) > 0 {
		return nil, fmt.Errorf("i18n: keys missing from a catalogue: %s", strings.Join(missing, ", "))
	}
	return c, nil
}

// Missing lists "lang:key" for each key that one catalogue has and another lacks.
func (c *Catalog) Missing() []string {
	var out []string
	for _, a := range Langs {
		for k := range c.msgs[a] {
			for _, b := range Langs {
				if _, ok := c.msgs[b][k]; !ok {
					out = append(out, b+":"+k)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// Has reports whether key exists.
func (c *Catalog) Has(key string) bool { _, ok := c.msgs[Default][key]; return ok }

// Supported returns lang if Ouvert speaks it, and "" otherwise.
func Supported(lang string) string {
	for _, l := range Langs {
		if l == lang {
			return l
		}
	}
	return ""
}

// Match picks a language from an Accept-Language header.
func Match(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Default
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return Default
	}
	return Langs[i]
}

// Locale formats messages, dates and numbers in one language and time zone.
type Locale struct {
	Lang string
	Loc  *time.Location
	c    *Catalog
}

// Locale returns the locale for lang (the default language if unknown) in time zone loc.
func (c *Catalog) Locale(lang string, loc *time.Location) *Locale {
	if Supported(lang) == "" {
		lang = Default
	}
	if loc == nil {
		loc = time.UTC
	}
	return &Locale{Lang: lang, Loc: loc, c: c}
}

// T returns the message for key, formatted with args as by fmt.Sprintf. A missing key shows as
// itself, so that it is noticed, never as an empty string.
func (l *Locale) T(key string, args ...any) string {
	s, ok := l.c.msgs[l.Lang][key]
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// N returns the plural form of key for n (key.one or key.other), with n formatted in.
func (l *Locale) N(key string, n int) string {
	form := ".other"
	if n == 1 || (l.Lang == "fr" && n == 0) {
		form = ".one"
	}
	return l.T(key+form, l.Number(n))
}

// Number formats an integer with the language's grouping: 1 930 000 in French, 1,930,000 in English.
func (l *Locale) Number(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := ","
	if l.Lang == "fr" {
		sep = "\u202f" // narrow no-break space
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

var months = map[string][]string{
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// Date formats a day: "15 mars 2017", "15 March 2017".
func (l *Locale) Date(t time.Time) string {
	t = t.In(l.Loc)
	day := strconv.Itoa(t.Day())
	if l.Lang == "fr" && t.Day() == 1 {
		day = "1er"
	}
	return fmt.Sprintf("%s %s %d", day, months[l.Lang][t.Month()-1], t.Year())
}

// Time formats a time of day: "17h30" in French, "5:30 pm" in English.
func (l *Locale) Time(t time.Time) string {
	t = t.In(l.Loc)
	if l.Lang == "fr" {
		if t.Minute() == 0 {
			return fmt.Sprintf("%dh", t.Hour())
		}
		return fmt.Sprintf("%dh%02d", t.Hour(), t.Minute())
	}
	return t.Format("3:04 pm")
}

// DateTime formats a day and a time.
func (l *Locale) DateTime(t time.Time) string {
	return l.T("date.at", l.Date(t), l.Time(t))
}

// ISO formats t for a <time datetime> attribute.
func (l *Locale) ISO(t time.Time) string { return t.In(l.Loc).Format(time.RFC3339) }

// ISODate formats a day for <time datetime> and date inputs.
func (l *Locale) ISODate(t time.Time) string { return t.In(l.Loc).Format("2006-01-02") }
