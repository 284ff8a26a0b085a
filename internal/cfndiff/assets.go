package cfndiff

import (
	"fmt"
	"strings"
)

// manifestType is the type of a Kubernetes manifest's custom resource,
// whose objects travel in the template (Manifest) or, when large, in an S3
// asset (ManifestAsset).
const manifestType = "Custom::AWSCDK-EKS-KubernetesResource"

// AssetReader returns the body of a manifest's S3 asset: the value of its
// ManifestAsset property ({"Bucket": ..., "Key": ...}, as the template
// writes them).
type AssetReader func(asset any) (string, error)

// Options adjust [CompareWith].
type Options struct {
	// OldAsset reads the S3 assets of the old template's manifests (from
	// the deployed bucket).
	// Default: nil, their objects are not shown.
	OldAsset AssetReader
	// NewAsset reads the S3 assets of the new template's manifests (from
	// the cloud assembly).
	// Default: nil, their objects are not shown.
	NewAsset AssetReader
}

// ManifestDiff is the change of a manifest's objects when either side
// travels as an S3 asset.
type ManifestDiff struct {
	// Old and New are the manifests (JSON lists of objects).
	Old, New string
	// OldFrom and NewFrom say where they were read: "the template" or
	// "s3://bucket/key".
	OldFrom, NewFrom string
	// Err says why the objects could not be read ("" when they were); the
	// resource's Properties then show the asset locations.
	Err string
}

// CompareWith is [Compare] that also reads the objects of manifests
// stored as S3 assets, with o's readers, and shows their changes object by
// object as it does for manifests in the template.
func CompareWith(old, new map[string]any, o Options) *TemplateDiff {
	d := Compare(old, new)
	oldRes, newRes := section(old, "Resources"), section(new, "Resources")
	for i := range d.Resources {
		r := &d.Resources[i]
		if r.Kind != Modified || r.OldType != manifestType || r.NewType != manifestType {
			continue
		}
		oprops, _ := section(oldRes, r.LogicalID)["Properties"].(map[string]any)
		nprops, _ := section(newRes, r.LogicalID)["Properties"].(map[string]any)
		if oprops["ManifestAsset"] == nil && nprops["ManifestAsset"] == nil {
			continue // inline on both sides: see writeKubernetesProperty
		}
		m := &ManifestDiff{}
		var errs []string
		var err error
		if m.Old, m.OldFrom, err = manifestText(oprops, o.OldAsset, "old"); err != nil {
			errs = append(errs, err.Error())
		}
		if m.New, m.NewFrom, err = manifestText(nprops, o.NewAsset, "new"); err != nil {
			errs = append(errs, err.Error())
		}
		m.Err = strings.Join(errs, "; ")
		r.Manifest = m
		if m.Err != "" {
			continue
		}
		kept := r.Properties[:0]
		for _, p := range r.Properties {
			if p.Path == "Manifest" || p.Path == "ManifestAsset" || strings.HasPrefix(p.Path, "ManifestAsset.") {
				continue
			}
			kept = append(kept, p)
		}
		r.Properties = kept
	}
	return d
}

// manifestText reads a manifest resource's objects: its Manifest property,
// or its S3 asset through read.
func manifestText(props map[string]any, read AssetReader, side string) (text, from string, err error) {
	if v, ok := props["Manifest"]; ok {
		s, ok := flatten(v)
		if !ok {
			return "", "", fmt.Errorf("the %s Manifest is not a string", side)
		}
		return s, "the template", nil
	}
	a, ok := props["ManifestAsset"]
	if !ok {
		return "", "", fmt.Errorf("the %s resource has neither Manifest nor ManifestAsset", side)
	}
	loc := assetLocation(a)
	if read == nil {
		return "", "", fmt.Errorf("the %s objects in %s are not read here", side, loc)
	}
	body, err := read(a)
	if err != nil {
		return "", "", fmt.Errorf("the %s objects in %s could not be read: %v", side, loc, err)
	}
	return body, loc, nil
}

// assetLocation writes an asset as s3://bucket/key, with late-bound parts
// as ${...}.
func assetLocation(a any) string {
	m, _ := a.(map[string]any)
	b, ok1 := flattenSub(m["Bucket"])
	k, ok2 := flattenSub(m["Key"])
	if !ok1 || !ok2 {
		return "its S3 asset"
	}
	return "s3://" + b + "/" + k
}

// flattenSub is flatten that also reads an Fn::Sub string as written.
func flattenSub(v any) (string, bool) {
	if m, ok := v.(map[string]any); ok && len(m) == 1 {
		if s, ok := m["Fn::Sub"].(string); ok {
			return s, true
		}
	}
	return flatten(v)
}

// writeManifestDiff writes a manifest's object changes read from its
// assets.
func writeManifestDiff(b *strings.Builder, m *ManifestDiff) {
	if m.Err != "" {
		fmt.Fprintf(b, "      (objects not shown: %s)\n", m.Err)
		return
	}
	from := m.NewFrom
	if m.OldFrom != m.NewFrom {
		from = m.OldFrom + " -> " + m.NewFrom
	}
	oldDocs, okOld := decodeDocs(m.Old, true, "manifest")
	newDocs, okNew := decodeDocs(m.New, true, "manifest")
	if !okOld || !okNew {
		fmt.Fprintf(b, "      [~] Manifest (%s): not a JSON list of objects\n", from)
		return
	}
	fmt.Fprintf(b, "      [~] Manifest (%s)\n", from)
	if !writeDocs(b, oldDocs, newDocs) {
		b.WriteString("          (the objects are the same)\n")
	}
}
