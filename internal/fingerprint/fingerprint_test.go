package fingerprint

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestDirMatchesCDK compares Dir with the hashes aws-cdk-lib 2.276.0's
// FileSystem.fingerprint returned for sampleTree with the same options.
func TestDirMatchesCDK(t *testing.T) {
	t.Parallel()
	dir := writeSample(t, t.TempDir())
	tests := []struct {
		name string
		path string // relative to the sample tree; "" for the tree itself
		opts Options
		want string
	}{
		{"default follows external links only", "", Options{}, "a58c46e2e031e27df9c77a9c49ae652f4a41d7ebedb795b59cd683e19d42e400"},
		{"never follow", "", Options{Follow: FollowNever}, "206d51810e8f229087d566af997173f2324328d555601dec2acfa3eb0f70dc7a"},
		{"always follow", "", Options{Follow: FollowAlways}, "0d97701b17bfd53b0b48213c5fcdecf22a9687306cc4371a769a15bf4aa1a532"},
		{"follow internal links only", "", Options{Follow: FollowBlockExternal}, "1d0ae390364ba75ea2503dc7418dc44dc1285927c614cf5ad827b44aef8a72f3"},
		{"explicit external equals default", "", Options{Follow: FollowExternal}, "a58c46e2e031e27df9c77a9c49ae652f4a41d7ebedb795b59cd683e19d42e400"},
		{"extra hash", "", Options{ExtraHash: "build"}, "8c1d4bdbbf4da1653a196910cfc7c8ab3d9e2821754b9a0f2f9ef262d6e3b1cb"},
		{"exclude by extension at any depth", "", Options{Exclude: []string{"*.txt"}}, "67877a1d1de8e5e78e1d0d0be43b12fe5ff632d11ff52c408b83b15f3513910d"},
		{"negation brings a file back", "", Options{Exclude: []string{"*.txt", "!a.txt"}}, "3238c59e86d6cfe56e37c6d908731eceaf21118ca0dec45d13d065119af6cdf9"},
		{"exclude a directory", "", Options{Exclude: []string{"b"}}, "242732292fc80f8f412c389a29ee35792120d72da9ec587c51d68fdd01a3d24a"},
		{"globstar skips dot directories", "", Options{Exclude: []string{"**/*.txt"}}, "1b788a23e56f7a95c9f04a3740b081eea74172e6939940346261bc5293cc1465"},
		{"pattern with a slash is anchored", "", Options{Exclude: []string{"b/*.txt"}}, "4017e4c11b817843f7856a66701c124b72228c33e253d9491f94b05f7b8a6450"},
		{"globstar prefix", "", Options{Exclude: []string{"**/c.txt"}}, "4017e4c11b817843f7856a66701c124b72228c33e253d9491f94b05f7b8a6450"},
		{"dot file by name", "", Options{Exclude: []string{".hidden"}}, "509723183ce74c89ab0b42e1d9434bf1b39b559d3a6b3e571750882a75156735"},
		{"star spares dot files", "", Options{Exclude: []string{"*"}}, "631f7b10da8a388fa6b6897408915a4c5c90c7ac98a000fef4b0d5d2e1626a40"},
		{"globstar alone as star", "", Options{Exclude: []string{"**"}}, "631f7b10da8a388fa6b6897408915a4c5c90c7ac98a000fef4b0d5d2e1626a40"},
		{"star then negation", "", Options{Exclude: []string{"*", "!a.txt"}}, "7785649d3b0dbd5e1df3b9da3b105427df49a9899752d25abbc15e1a5f368ae1"},
		{"braces", "", Options{Exclude: []string{"{a,b}.txt"}}, "6be58a7f1acb7b23f9b458dee6569e79a2973ebf9bf0930642c584f9220a9065"},
		{"character class", "", Options{Exclude: []string{"[ab].txt"}}, "6be58a7f1acb7b23f9b458dee6569e79a2973ebf9bf0930642c584f9220a9065"},
		{"question mark", "", Options{Exclude: []string{"a?txt"}}, "6be58a7f1acb7b23f9b458dee6569e79a2973ebf9bf0930642c584f9220a9065"},
		{"posix class", "", Options{Exclude: []string{"[[:alpha:]].txt"}}, "45609db21d07cac18c247cbeed428fe7e0937037924e14c9052cd43831230e0b"},
		{"explicit dot directory", "", Options{Exclude: []string{"**/.dot/**"}}, "59a31459ec1ddbe39a79cd1f3146dd34fd21d6ab26d52865f83bddccedbdb902"},
		{"trailing globstar spares dot directories", "", Options{Exclude: []string{"sub/**"}}, "a518b95958f7778b7530fa4fe79970fbf00b94752cb9d088a28985e9a57c11e9"},
		{"globstar in the middle", "", Options{Exclude: []string{"sub/**/*.js"}}, "a518b95958f7778b7530fa4fe79970fbf00b94752cb9d088a28985e9a57c11e9"},
		{"whole subtree by name", "", Options{Exclude: []string{"sub"}}, "bce990b4562a6c05e07be19865cd6face99bbbe6cf65038010684658841bbcb6"},
		{"braces after a star", "", Options{Exclude: []string{"*.{txt,bin}"}}, "f5b7d33eacb2a1961ed836cfb1b0a54c30cec68bce2d41abc2092196413f2b93"},
		{"prefix then star", "", Options{Exclude: []string{"big.*"}}, "5b67571c05176ba3046ccfc8073849a2798731d62d59d54c4a349fe9924ed080"},
		{"links by name", "", Options{Exclude: []string{"link*"}}, "2fe6c2fb9ede5bdc3575764629f0ff5363e17c0b6f01b35456bd1008a1786f05"},
		{"linked directory by name", "", Options{Exclude: []string{"linkdir"}}, "d197ce7630894e4555eacc1e00063b4f1882df4df42434553082baa44d22f2c0"},
		{"comment excludes nothing", "", Options{Exclude: []string{"#a.txt"}}, "a58c46e2e031e27df9c77a9c49ae652f4a41d7ebedb795b59cd683e19d42e400"},
		{"lone negation excludes nothing", "", Options{Exclude: []string{"!**/*.bin"}}, "a58c46e2e031e27df9c77a9c49ae652f4a41d7ebedb795b59cd683e19d42e400"},
		{"matching is case sensitive", "", Options{Exclude: []string{"*.TXT"}}, "a58c46e2e031e27df9c77a9c49ae652f4a41d7ebedb795b59cd683e19d42e400"},
		{"docker mode is hashed in", "", Options{IgnoreMode: IgnoreDocker}, "d435de3241d26c41469b73c19e29acf75cc4b040c4bb2236a5615d076229c35b"},
		{"docker mode by extension", "", Options{IgnoreMode: IgnoreDocker, Exclude: []string{"*.txt"}}, "8b9f99c3dcef148be9373d2a7c2df7ac29bbe18a530f462fcc0eebc134596984"},
		{"docker mode negation inside an excluded directory", "", Options{IgnoreMode: IgnoreDocker, Exclude: []string{"sub", "!sub/inner/file.js"}}, "7288e7e3c6a0027ef029e7ea069a769a9256f7bbd8b31b341f6ffc388541ca86"},
		{"docker mode is case insensitive", "", Options{IgnoreMode: IgnoreDocker, Exclude: []string{"**/*.TXT", "link*"}}, "35281a6b80925adfc22bc3ae380a74a640bc0314051e79227296e5c4bfdce467"},
		{"git mode is hashed in", "", Options{IgnoreMode: IgnoreGit}, "44e04a6f91f58573298260b43233a43d3056133d2027177bf66098cc4b3f5f22"},
		{"git mode by extension", "", Options{IgnoreMode: IgnoreGit, Exclude: []string{"*.txt"}}, "a467ea6a83e0ba8e61ee81018082e8f1f6a59b0adeed2757e63ee4e9df6abbee"},
		{"git mode negation of a directory's child", "", Options{IgnoreMode: IgnoreGit, Exclude: []string{"sub/*", "!sub/inner"}}, "e4a151dde0f8fa67a29ff8b209a1904da78debb06b751fbe3e99cd8157b88a5f"},
		{"git mode anchored and case-insensitive patterns", "", Options{IgnoreMode: IgnoreGit, Exclude: []string{"/b/", "**/.dot", "LINK*"}}, "32485915e393e878cd2ed0fca09dc2920ee5291e0d06fe93d6b337b3a78c2542"},
		{"single text file", "a.txt", Options{}, "549b144eccd7807d632712b653e30c42e8747617c2d8d4d083a75a701b0837b9"},
		{"single file with CRLF across a chunk boundary", "big.txt", Options{}, "68bef7ba1ef685e52c6b59a630639c01a4f0db74f0e1fb7da5dc0930662ed067"},
		{"single file with invalid UTF-8", "invalid.txt", Options{}, "7052cf8f8caecdf4264b267583e2fcf74f44e83999739309ba6efb19231cb1da"},
		{"single binary file", "b/d.bin", Options{}, "11c822ce7b2810acc986305907ac1b83935e349ed7ff47a55e429f94a2d346b0"},
		{"link to a single file is resolved", "link-internal", Options{}, "549b144eccd7807d632712b653e30c42e8747617c2d8d4d083a75a701b0837b9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Dir(filepath.Join(dir, tt.path), tt.opts)
			if err != nil {
				t.Fatalf("Dir: %v", err)
			}
			if got != tt.want {
				t.Errorf("Dir(%s, %+v) = %s, want %s", tt.path, tt.opts, got, tt.want)
			}
		})
	}
}

func TestDirIsDeterministic(t *testing.T) {
	t.Parallel()
	reversed := sampleTree()
	slices.Reverse(reversed)
	tests := []struct {
		name  string
		other func(t *testing.T) string // a second copy of sampleTree
	}{
		{"same tree in another directory", func(t *testing.T) string {
			return writeSample(t, filepath.Join(t.TempDir(), "some", "deeper", "place"))
		}},
		{"same tree created in reverse order", func(t *testing.T) string {
			base := t.TempDir()
			writeTree(t, base, []entry{{path: "outside/ext.txt", content: "external\r\n"}})
			dir := filepath.Join(base, "sample")
			writeTree(t, dir, reversed)
			return dir
		}},
		{"same tree reached through a symbolic link", func(t *testing.T) string {
			base := t.TempDir()
			dir := writeSample(t, base)
			link := filepath.Join(t.TempDir(), "alias")
			if err := os.Symlink(dir, link); err != nil {
				t.Fatal(err)
			}
			return link
		}},
		{"empty directories do not count", func(t *testing.T) string {
			dir := writeSample(t, t.TempDir())
			writeTree(t, dir, []entry{{path: "more/empty/dirs/"}, {path: "b/nothing/"}})
			return dir
		}},
		{"file modes and times do not count", func(t *testing.T) string {
			dir := writeSample(t, t.TempDir())
			if err := os.Chmod(filepath.Join(dir, "a.txt"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chtimes(filepath.Join(dir, "b", "c.txt"), time1990, time1990); err != nil {
				t.Fatal(err)
			}
			return dir
		}},
	}
	first := writeSample(t, t.TempDir())
	for _, opts := range []Options{{}, {Follow: FollowNever}, {Exclude: []string{"*.bin"}}} {
		want, err := Dir(first, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				got, err := Dir(tt.other(t), opts)
				if err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Errorf("Dir = %s, want %s as for the first copy", got, want)
				}
			})
		}
	}
}

func TestDirChangesWithContent(t *testing.T) {
	t.Parallel()
	base := writeSample(t, t.TempDir())
	want, err := Dir(base, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change []entry
	}{
		{"a new file", []entry{{path: "new.txt", content: "n"}}},
		{"a changed byte", []entry{{path: "a.txt", content: "hellO\n"}}},
		{"a new file in an excluded-looking dot directory", []entry{{path: ".git/HEAD", content: "ref"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := writeSample(t, t.TempDir())
			for _, e := range tt.change {
				p := filepath.Join(dir, filepath.FromSlash(e.path))
				_ = os.Remove(p)
			}
			writeTree(t, dir, tt.change)
			got, err := Dir(dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got == want {
				t.Errorf("Dir did not change after %s", tt.name)
			}
		})
	}
}

func TestDirErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		tree    []entry
		path    string
		opts    Options
		wantErr string
	}{
		{"fails on a missing path", nil, "missing", Options{}, "no such file or directory"},
		{"fails on an unknown follow mode", []entry{{path: "f", content: "x"}}, "", Options{Follow: "sometimes"}, `unknown symlink follow mode "sometimes"`},
		{"fails on an extended glob", []entry{{path: "f", content: "x"}}, "", Options{Exclude: []string{"@(f|g)"}}, "extended glob"},
		{"fails on an unknown ignore mode", []entry{{path: "f", content: "x"}}, "", Options{IgnoreMode: "svn"}, `unknown ignore mode "svn"`},
		{"fails on a docker pattern Go cannot compile", []entry{{path: "f", content: "x"}}, "", Options{IgnoreMode: IgnoreDocker, Exclude: []string{"a(b"}}, "cannot be translated"},
		{"fails on a git pattern with a back reference", []entry{{path: "f", content: "x"}}, "", Options{IgnoreMode: IgnoreGit, Exclude: []string{`a\1`}}, "cannot be translated"},
		{"fails on a followed link cycle", []entry{{path: "d/f", content: "x"}, {path: "d/up", link: ".."}}, "", Options{Follow: FollowAlways}, "symbolic link cycle"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeTree(t, dir, tt.tree)
			_, err := Dir(filepath.Join(dir, tt.path), tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Dir error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestDirLinkCycleNotFollowedIsRecorded(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeTree(t, dir, []entry{{path: "d/f", content: "x"}, {path: "d/up", link: ".."}})
	for _, follow := range []SymlinkFollowMode{FollowExternal, FollowNever} {
		if _, err := Dir(dir, Options{Follow: follow}); err != nil {
			t.Errorf("Dir with %s: %v", follow, err)
		}
	}
}
