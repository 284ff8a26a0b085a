package parity

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Unlisted returns the differences of res that no row of docs/parity.md
// lists.
func (res Result) Unlisted() []Difference {
	var out []Difference
	for _, d := range res.Differences {
		if d.Intended == nil {
			out = append(out, d)
		}
	}
	return out
}

// WriteReport writes the report of one example: what matches (counted by
// kind), then every difference with the values on both sides and either
// the reason docs/parity.md gives or UNLISTED.
func WriteReport(w io.Writer, res Result) {
	listed := len(res.Differences) - len(res.Unlisted())
	fmt.Fprintf(w, "== %s: %d matching, %d differences listed as intended, %d unlisted\n",
		res.Example, len(res.Matches), listed, len(res.Differences)-listed)
	kinds := map[string]int{}
	props := map[string]int{}
	for _, m := range res.Matches {
		kinds[m.Kind]++
		props[m.Kind] += m.Props
	}
	var ks []string
	for k := range kinds {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	var parts []string
	for _, k := range ks {
		if props[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s ×%d (%d key properties)", k, kinds[k], props[k]))
		} else {
			parts = append(parts, fmt.Sprintf("%s ×%d", k, kinds[k]))
		}
	}
	if len(parts) > 0 {
		fmt.Fprintf(w, "   match: %s\n", strings.Join(parts, ", "))
	}
	for _, d := range res.Differences {
		status := "UNLISTED"
		if d.Intended != nil {
			status = fmt.Sprintf("intended (docs/parity.md:%d): %s", d.Intended.Line, d.Intended.Reason)
		}
		where := fmt.Sprintf("%s %s %s", d.Stack, d.Type, d.LogicalID)
		if strings.HasPrefix(d.Path, "only in ") {
			fmt.Fprintf(w, "   - %s: %s\n       %s\n", where, d.Path, status)
			continue
		}
		fmt.Fprintf(w, "   - %s %s: %s %s, %s %s\n       %s\n", where, d.Path, SideCDK, show(d.CDK), SideOurs, show(d.Ours), status)
	}
}

// Row renders a difference as a docs/parity.md table row with an empty
// reason, for pasting when a difference is intended.
func (d Difference) Row() string {
	return fmt.Sprintf("| %s | %s | `%s` | `%s` | |", d.Example, d.Type, d.LogicalID, d.Path)
}
