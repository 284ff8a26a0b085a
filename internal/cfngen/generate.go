package cfngen

import (
	"bytes"
	"os"
	"path/filepath"
)

// Options tell Generate what to generate.
type Options struct {
	// SchemaDir holds the resource schemas (*.json).
	SchemaDir string
	// DocsFile is a gzipped descriptions file (descriptions.json.gz) for
	// what the schemas do not describe.
	// Default: none; the comments then only name the properties.
	DocsFile string
	// OutDir receives one directory per namespace package.
	OutDir string
	// Dirs are the package dirs to generate ("eks", "ec2"); empty for all.
	Dirs []string
	// SamplesFile, if set, receives a test file (package cfn_test) with a
	// function building a sample of every generated resource type.
	// Default: no samples.
	SamplesFile string
	// SamplesPackage is the package clause of SamplesFile.
	// Default: "cfn_test".
	SamplesPackage string
	// ImportBase is the import path of OutDir.
	// Default: ModulePath + "/cfn".
	ImportBase string
}

// Generate writes the packages (and samples) described by o.
func Generate(o Options) error {
	schemas, err := LoadSchemas(o.SchemaDir)
	if err != nil {
		return err
	}
	var docs map[string]*TypeDocs
	if o.DocsFile != "" {
		if docs, err = LoadDocs(o.DocsFile); err != nil {
			return err
		}
	}
	pkgs, err := BuildWithDocs(schemas, docs, o.Dirs)
	if err != nil {
		return err
	}
	for _, p := range pkgs {
		if err := p.WritePackage(filepath.Join(o.OutDir, p.Dir)); err != nil {
			return err
		}
	}
	if o.SamplesFile != "" {
		base := o.ImportBase
		if base == "" {
			base = ModulePath + "/cfn"
		}
		pkgName := o.SamplesPackage
		if pkgName == "" {
			pkgName = "cfn_test"
		}
		src, err := Samples(pkgs, base, pkgName)
		if err != nil {
			return err
		}
		if cur, err := os.ReadFile(o.SamplesFile); err != nil || !bytes.Equal(cur, src) {
			if err := os.WriteFile(o.SamplesFile, src, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}
