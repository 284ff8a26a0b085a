package cli

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/eksforge/eksforge/internal/cfndiff"
)

// guardedTypes are the resource types whose replacement or deletion loses
// a cluster, its capacity or data: deploy goes ahead only when
// --allow-replace (or a person at the prompt) names each one, whatever
// --require-approval says.
var guardedTypes = map[string]string{
	"AWS::EKS::Cluster":                     "EKS cluster",
	"Custom::AWSCDK-EKS-Cluster":            "EKS cluster",
	"AWS::EKS::Nodegroup":                   "node group",
	"AWS::EKS::Addon":                       "EKS add-on",
	"AWS::EKS::FargateProfile":              "Fargate profile",
	"AWS::RDS::DBInstance":                  "database",
	"AWS::RDS::DBCluster":                   "database cluster",
	"AWS::DocDB::DBCluster":                 "database cluster",
	"AWS::Neptune::DBCluster":               "database cluster",
	"AWS::DynamoDB::Table":                  "table",
	"AWS::DynamoDB::GlobalTable":            "table",
	"AWS::S3::Bucket":                       "bucket",
	"AWS::EFS::FileSystem":                  "file system",
	"AWS::FSx::FileSystem":                  "file system",
	"AWS::EC2::Volume":                      "volume",
	"AWS::ElastiCache::ReplicationGroup":    "cache",
	"AWS::ElastiCache::CacheCluster":        "cache",
	"AWS::OpenSearchService::Domain":        "search domain",
	"AWS::Elasticsearch::Domain":            "search domain",
	"AWS::MSK::Cluster":                     "Kafka cluster",
	"AWS::Kinesis::Stream":                  "stream",
	"AWS::SQS::Queue":                       "queue",
	"AWS::ECR::Repository":                  "image repository",
	"AWS::KMS::Key":                         "KMS key",
	"AWS::SecretsManager::Secret":           "secret",
	"AWS::Logs::LogGroup":                   "log group",
	"AWS::Cognito::UserPool":                "user pool",
	"AWS::Backup::BackupVault":              "backup vault",
	"AWS::Timestream::Table":                "table",
	"AWS::Redshift::Cluster":                "data warehouse",
	"AWS::RDS::GlobalCluster":               "database cluster",
	"AWS::ElastiCache::ServerlessCache":     "cache",
	"AWS::MemoryDB::Cluster":                "cache",
	"AWS::OpenSearchServerless::Collection": "search collection",
}

// guarded is one guarded resource the deployment would replace or delete.
type guarded struct {
	logicalID, path, typ string
	action               string // "replace", "may replace" or "delete"
	reasons              []string
}

func (g guarded) String() string {
	s := fmt.Sprintf("%s %s %s (%s", g.action, guardedTypes[g.typ], g.logicalID, g.typ)
	if g.path != "" {
		s += ", " + g.path
	}
	s += ")"
	if len(g.reasons) > 0 {
		s += ": " + strings.Join(g.reasons, "; ")
	}
	return s
}

// allows says whether an --allow-replace value names g: its logical ID,
// its construct path, or a construct path above it ("Stack/Cluster" allows
// "Stack/Cluster/Resource").
func (g guarded) allows(name string) bool {
	name = strings.TrimSuffix(name, "/")
	if name == "" {
		return false
	}
	return name == g.logicalID || name == g.path || (g.path != "" && strings.HasPrefix(g.path, name+"/"))
}

// guardedChanges returns the guarded resources that the template diff or
// the change set replace or delete. A deletion of a resource whose
// DeletionPolicy is Retain deletes nothing and is not guarded.
func guardedChanges(d *cfndiff.TemplateDiff, old map[string]any, changes []types.Change, paths map[string]string) []guarded {
	found := map[string]*guarded{}
	add := func(id, typ, action string, reasons []string) {
		if _, ok := guardedTypes[typ]; !ok {
			return
		}
		if action == "delete" && retained(old, id) {
			return
		}
		g := found[id]
		if g == nil {
			g = &guarded{logicalID: id, typ: typ, path: paths[id], action: action}
			found[id] = g
		}
		if action == "replace" {
			g.action = action
		}
		for _, r := range reasons {
			if !contains(g.reasons, r) {
				g.reasons = append(g.reasons, r)
			}
		}
	}
	for _, r := range d.Resources {
		switch {
		case r.Kind == cfndiff.Removed:
			add(r.LogicalID, r.OldType, "delete", nil)
		case r.Replace:
			add(r.LogicalID, r.Type(), "replace", r.ReplaceReasons)
		}
		if g := found[r.LogicalID]; g != nil && g.path == "" {
			g.path = r.ConstructPath
		}
	}
	for _, ch := range changes {
		rc := ch.ResourceChange
		if rc == nil {
			continue
		}
		id, typ := aws.ToString(rc.LogicalResourceId), aws.ToString(rc.ResourceType)
		switch {
		case rc.Action == types.ChangeActionRemove:
			add(id, typ, "delete", nil)
		case rc.Replacement == types.ReplacementTrue:
			add(id, typ, "replace", nil)
		case rc.Replacement == types.ReplacementConditional:
			if found[id] == nil {
				add(id, typ, "may replace", []string{"CloudFormation says the replacement is conditional"})
			}
		}
	}
	out := make([]guarded, 0, len(found))
	for _, g := range found {
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].logicalID < out[j].logicalID })
	return out
}

func retained(tmpl map[string]any, id string) bool {
	res, _ := tmpl["Resources"].(map[string]any)
	r, _ := res[id].(map[string]any)
	return r["DeletionPolicy"] == "Retain" || r["DeletionPolicy"] == "RetainExceptOnCreate"
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// gateReplacements returns an error unless every guarded replacement or
// deletion is named by --allow-replace or approved by a person at the
// prompt; --require-approval never does not waive it.
func (r *Runner) gateReplacements(stack string, allow []string, gs []guarded) error {
	var blocked []guarded
	for _, g := range gs {
		ok := false
		for _, a := range allow {
			if g.allows(a) {
				ok = true
				break
			}
		}
		if ok {
			fmt.Fprintf(r.Stderr, "%s: --allow-replace: %s\n", stack, g)
			continue
		}
		blocked = append(blocked, g)
	}
	if len(blocked) == 0 {
		return nil
	}
	var b strings.Builder
	for _, g := range blocked {
		fmt.Fprintf(&b, "\n  %s", g)
	}
	if r.Interactive {
		fmt.Fprintf(r.Stderr, "%s: this deployment would destroy:%s\n", stack, b.String())
		for _, g := range blocked {
			if !r.confirm(fmt.Sprintf("%s: %s %s %s?", stack, g.action, guardedTypes[g.typ], g.name())) {
				return fmt.Errorf("%s: %s %s was not approved; nothing was changed", stack, g.action, g.name())
			}
		}
		return nil
	}
	var flags []string
	for _, g := range blocked {
		flags = append(flags, "--allow-replace "+g.name())
	}
	return fmt.Errorf("%s: refusing to deploy: it would destroy:%s\n  Nothing was changed. If that is intended, pass %s (--require-approval never does not waive this)", stack, b.String(), strings.Join(flags, " "))
}

// name is how --allow-replace names g: its construct path, else its
// logical ID.
func (g guarded) name() string {
	if g.path != "" {
		return g.path
	}
	return g.logicalID
}
