// Package guide holds no code: its test keeps the user guide (the Markdown
// pages of this directory) honest. Go code in the guide is copied from the
// runnable programs under examples/, never typed free-hand, so every ```go
// block must be preceded by a marker naming its source,
//
//	<!-- from examples/hello-eks/main.go -->
//
// and every non-blank line of the block must be a line of that file
// (whitespace-trimmed). Relative links must lead to existing files, and the
// index (README.md) must link every page. The repository's README.md is held to
// the same rules for its code and links.
package guide

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// root is the repository root, relative to this package's directory.
const root = "../.."

var (
	fromMarker = regexp.MustCompile(`^<!--\s*from\s+(\S+)\s*-->$`)
	// link matches Markdown inline links and images: [text](target).
	link = regexp.MustCompile(`\]\(([^)\s]+)\)`)
)

// page is one Markdown file of the guide.
type page struct {
	name  string   // file name, e.g. "quick-start.md"
	dir   string   // the directory its links are relative to
	lines []string // its lines, without line ends
}

func readPages(t *testing.T) []page {
	t.Helper()
	names, err := filepath.Glob("*.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("no Markdown pages in docs/guide")
	}
	sort.Strings(names)
	var pages []page
	// The repository's README quotes an example too: hold it to the same rule.
	readme := filepath.Join(root, "README.md")
	for _, name := range append(names, readme) {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		dir := "."
		if name == readme {
			dir = root
		}
		pages = append(pages, page{name: name, dir: dir, lines: strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")})
	}
	return pages
}

// codeBlock is a fenced ```go block and the source file its marker names.
type codeBlock struct {
	line   int    // 1-based line of the opening fence
	source string // path relative to the repository root; "" without a marker
	lines  []string
}

// goBlocks returns the ```go blocks of a page, and reports unterminated ones.
func goBlocks(t *testing.T, p page) []codeBlock {
	t.Helper()
	var blocks []codeBlock
	for i := 0; i < len(p.lines); i++ {
		fence := strings.TrimSpace(p.lines[i])
		if !strings.HasPrefix(fence, "```") {
			continue
		}
		lang := strings.TrimSpace(strings.TrimPrefix(fence, "```"))
		start := i
		var body []string
		for i++; i < len(p.lines) && strings.TrimSpace(p.lines[i]) != "```"; i++ {
			body = append(body, p.lines[i])
		}
		if i == len(p.lines) {
			t.Errorf("%s:%d: code block is not closed", p.name, start+1)
			return blocks
		}
		if lang != "go" {
			continue
		}
		b := codeBlock{line: start + 1, lines: body}
		// The marker is the closest non-blank line above the fence.
		for j := start - 1; j >= 0; j-- {
			if s := strings.TrimSpace(p.lines[j]); s != "" {
				if m := fromMarker.FindStringSubmatch(s); m != nil {
					b.source = m[1]
				}
				break
			}
		}
		blocks = append(blocks, b)
	}
	return blocks
}

func trimmedLines(t *testing.T, path string) map[string]bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	set := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for sc.Scan() {
		set[strings.TrimSpace(sc.Text())] = true
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return set
}

func TestGoBlocksAreCopiedFromExamples(t *testing.T) {
	t.Parallel()
	sources := map[string]map[string]bool{}
	count := 0
	for _, p := range readPages(t) {
		for _, b := range goBlocks(t, p) {
			count++
			if b.source == "" {
				t.Errorf("%s:%d: go block has no <!-- from examples/<name>/main.go --> marker above it", p.name, b.line)
				continue
			}
			path := filepath.Join(root, filepath.FromSlash(b.source))
			if _, err := os.Stat(path); err != nil {
				t.Errorf("%s:%d: the marker names %s, which does not exist", p.name, b.line, b.source)
				continue
			}
			src, ok := sources[path]
			if !ok {
				src = trimmedLines(t, path)
				sources[path] = src
			}
			for k, l := range b.lines {
				s := strings.TrimSpace(l)
				if s == "" {
					continue
				}
				if !src[s] {
					t.Errorf("%s:%d: line not found in %s (update the guide from the example): %s", p.name, b.line+1+k, b.source, s)
				}
			}
		}
	}
	if count == 0 {
		t.Error("the guide has no go blocks: the marker syntax or the fences changed")
	}
}

func TestRelativeLinksResolve(t *testing.T) {
	t.Parallel()
	for _, p := range readPages(t) {
		inCode := false
		for i, l := range p.lines {
			if strings.HasPrefix(strings.TrimSpace(l), "```") {
				inCode = !inCode
				continue
			}
			if inCode {
				continue
			}
			for _, m := range link.FindAllStringSubmatch(l, -1) {
				target := m[1]
				if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") || strings.HasPrefix(target, "#") {
					continue
				}
				if k := strings.IndexByte(target, '#'); k >= 0 {
					target = target[:k]
				}
				if _, err := os.Stat(filepath.Join(p.dir, filepath.FromSlash(target))); err != nil {
					t.Errorf("%s:%d: link %q does not resolve to a file", p.name, i+1, m[1])
				}
			}
		}
	}
}

func TestIndexLinksEveryPage(t *testing.T) {
	t.Parallel()
	pages := readPages(t)
	linked := map[string]bool{}
	found := false
	for _, p := range pages {
		if p.dir != "." || p.name != "README.md" {
			continue
		}
		found = true
		for _, l := range p.lines {
			for _, m := range link.FindAllStringSubmatch(l, -1) {
				linked[strings.SplitN(m[1], "#", 2)[0]] = true
			}
		}
	}
	if !found {
		t.Fatal("docs/guide/README.md, the index, is missing")
	}
	for _, p := range pages {
		if p.dir == "." && p.name != "README.md" && !linked[p.name] {
			t.Errorf("README.md does not link %s", p.name)
		}
	}
}
