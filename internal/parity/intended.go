package parity

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// Intended is one row of the table of intended differences in
// docs/parity.md. Example, Type, LogicalID and Path are patterns in which *
// matches any run of characters (also none); matching is exact otherwise.
type Intended struct {
	Example   string
	Type      string
	LogicalID string
	Path      string
	Reason    string
	// Line is the row's line number in the file, for messages.
	Line int
	// Used counts the differences the row matched.
	Used int

	re [4]*regexp.Regexp
}

// IntendedHeading is the heading under which docs/parity.md holds the table.
const IntendedHeading = "## Intended differences"

// ParseIntended reads the table that follows [IntendedHeading]: a markdown
// table with the columns example, resource type, logical ID, property, reason
// (the header row and the separator row are skipped; the table ends at the
// first line that is not a table row). Cells may quote with backticks, which
// are removed. It is an error when the heading or the table is missing, a
// row has the wrong number of cells, or a reason is empty.
func ParseIntended(r io.Reader) ([]*Intended, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var out []*Intended
	line, in, rows := 0, false, 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if !in {
			if text == IntendedHeading {
				in = true
			}
			continue
		}
		if !strings.HasPrefix(text, "|") {
			if rows > 0 {
				break
			}
			continue
		}
		rows++
		if rows <= 2 {
			continue // header and separator
		}
		cells := splitRow(text)
		if len(cells) != 5 {
			return nil, fmt.Errorf("docs/parity.md:%d: %d cells, want 5 (example | resource type | logical ID | property | reason)", line, len(cells))
		}
		e := &Intended{Example: cells[0], Type: cells[1], LogicalID: cells[2], Path: cells[3], Reason: cells[4], Line: line}
		for i, pat := range cells[:4] {
			if pat == "" {
				return nil, fmt.Errorf("docs/parity.md:%d: empty cell %d (use * to match anything)", line, i+1)
			}
			e.re[i] = glob(pat)
		}
		if e.Reason == "" {
			return nil, fmt.Errorf("docs/parity.md:%d: no reason given", line)
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if !in {
		return nil, fmt.Errorf("docs/parity.md has no %q heading", IntendedHeading)
	}
	if rows == 0 {
		return nil, fmt.Errorf("docs/parity.md has no table under %q", IntendedHeading)
	}
	return out, nil
}

func splitRow(text string) []string {
	text = strings.TrimSuffix(strings.TrimPrefix(text, "|"), "|")
	// A literal | inside a cell is written \|.
	text = strings.ReplaceAll(text, `\|`, "\x00")
	parts := strings.Split(text, "|")
	for i, p := range parts {
		p = strings.ReplaceAll(strings.TrimSpace(p), "\x00", "|")
		if strings.HasPrefix(p, "`") && strings.HasSuffix(p, "`") && len(p) >= 2 {
			p = p[1 : len(p)-1]
		}
		parts[i] = p
	}
	return parts
}

func glob(pat string) *regexp.Regexp {
	parts := strings.Split(pat, "*")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile("^" + strings.Join(parts, ".*") + "$")
}

// Matches reports whether the row lists d. The type pattern is matched
// against both the CloudFormation type and the kind.
func (e *Intended) Matches(d Difference) bool {
	return e.re[0].MatchString(d.Example) &&
		(e.re[1].MatchString(d.Type) || e.re[1].MatchString(d.Kind)) &&
		e.re[2].MatchString(d.LogicalID) &&
		e.re[3].MatchString(d.Path)
}

// Classify marks each difference of res with the first row that lists it
// and counts the row's use.
func Classify(res *Result, list []*Intended) {
	for i := range res.Differences {
		d := &res.Differences[i]
		for _, e := range list {
			if e.Matches(*d) {
				d.Intended = e
				e.Used++
				break
			}
		}
	}
}
