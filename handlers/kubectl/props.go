package kubectl

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/eksforge/eksforge/handlers/cfnresponse"
)

// Resource types of the contract.
const (
	TypeManifest    = "Custom::AWSCDK-EKS-KubernetesResource"
	TypeHelmChart   = "Custom::AWSCDK-EKS-HelmChart"
	TypePatch       = "Custom::AWSCDK-EKS-KubernetesPatch"
	TypeObjectValue = "Custom::AWSCDK-EKS-KubernetesObjectValue"
	TypeAwsAuth     = "Custom::EksForge-AwsAuth"
)

// props reads CloudFormation properties, whose scalars are strings.
type props map[string]any

// str returns the property as a string: a string as is, other scalars
// formatted, lists and maps as JSON.
func (p props) str(key string) string {
	v, ok := p[key]
	if !ok || v == nil {
		return ""
	}
	switch v := v.(type) {
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case json.Number:
		return v.String()
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// bool reads "true"/"false" (any case); anything else is false.
func (p props) bool(key string) bool {
	b, _ := strconv.ParseBool(strings.TrimSpace(p.str(key)))
	return b
}

func (p props) required(key string) (string, error) {
	s := p.str(key)
	if s == "" {
		return "", fmt.Errorf("property %s is required", key)
	}
	return s, nil
}

// duration reads a Go duration ("5m0s") or a number of seconds.
func (p props) duration(key string) (time.Duration, error) {
	s := strings.TrimSpace(p.str(key))
	if s == "" {
		return 0, nil
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		return time.Duration(n * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("property %s: %q is not a duration like \"5m0s\"", key, s)
	}
	return d, nil
}

// decode reads a property given as JSON text or as a JSON-shaped value.
func (p props) decode(key string, into any) (bool, error) {
	v, ok := p[key]
	if !ok || v == nil {
		return false, nil
	}
	var b []byte
	if s, isStr := v.(string); isStr {
		if strings.TrimSpace(s) == "" {
			return false, nil
		}
		b = []byte(s)
	} else {
		var err error
		if b, err = json.Marshal(v); err != nil {
			return false, err
		}
	}
	if err := json.Unmarshal(b, into); err != nil {
		return false, fmt.Errorf("property %s is not valid JSON of the expected shape: %w", key, err)
	}
	return true, nil
}

// Kinds of physical IDs.
const (
	kindManifest = "manifest"
	kindHelm     = "helm"
	kindPatch    = "patch"
	kindValue    = "value"
	kindAwsAuth  = "aws-auth"
)

// PhysicalID is the contract's physical ID:
// <kind>/<ClusterName>/<LogicalResourceId>-<first 8 hex of sha256(StackId)>.
func PhysicalID(kind, cluster string, e cfnresponse.Event) string {
	s := sha256.Sum256([]byte(e.StackId))
	return kind + "/" + cluster + "/" + e.LogicalResourceId + "-" + hex.EncodeToString(s[:4])
}

// replacing lists, per kind, the properties whose change replaces the
// resource (a new physical ID).
var replacing = map[string][]string{
	kindManifest: {"ClusterName"},
	kindHelm:     {"ClusterName", "Release", "Namespace"},
	kindPatch:    {"ClusterName", "ResourceName", "ResourceNamespace"},
	kindValue:    {"ClusterName"},
	kindAwsAuth:  {"ClusterName"},
}

// physicalIDFor settles the physical ID of an event: on Create the
// contract's ID; on Update the current ID unless a replacing property
// changed (then a new ID, and CloudFormation deletes the old resource); on
// Delete the current ID.
func physicalIDFor(kind string, e cfnresponse.Event) (id string, replaced bool) {
	p := props(e.ResourceProperties)
	fresh := PhysicalID(kind, p.str("ClusterName"), e)
	switch e.RequestType {
	case cfnresponse.Create:
		return fresh, false
	case cfnresponse.Update:
		old := props(e.OldResourceProperties)
		for _, k := range replacing[kind] {
			if old.str(k) != p.str(k) && !(k == "Namespace" && normNS(old.str(k)) == normNS(p.str(k))) &&
				!(k == "ResourceNamespace" && normNS(old.str(k)) == normNS(p.str(k))) {
				if fresh == e.PhysicalResourceId {
					// The same logical ID on the same cluster: name the new one apart.
					vals := make([]string, 0, len(replacing[kind]))
					for _, k := range replacing[kind] {
						vals = append(vals, p.str(k))
					}
					fresh += "-" + shortHash(strings.Join(vals, "\n"))
				}
				return fresh, true
			}
		}
	}
	return e.PhysicalResourceId, false
}

func normNS(s string) string {
	if s == "" {
		return "default"
	}
	return s
}

func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:4])
}
