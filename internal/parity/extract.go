package parity

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Resource is the meaning of one resource of a template (or of one
// Kubernetes object inside a manifest resource), reduced for comparison.
type Resource struct {
	// LogicalID is the template's logical ID; for a Kubernetes object, the
	// manifest's logical ID followed by "/" and the object's identity.
	LogicalID string
	// Type is the CloudFormation type as written in the template.
	Type string
	// Kind groups resources that mean the same thing across both libraries:
	// the CloudFormation type, except that aws-cdk-lib's custom resources
	// for a cluster and a Fargate profile count as the native types, a
	// launch configuration as a launch template, Kubernetes objects as
	// "Kubernetes <apiVersion> <kind>" and the aws-auth map as "aws-auth".
	Kind string
	// Identity pairs resources whose logical IDs differ (a Kubernetes
	// object's namespace/name, a Helm release's chart); empty when the
	// logical ID is the only way to pair.
	Identity string
	// Props holds the key properties, flattened to dotted paths. Nil for
	// kinds compared by presence only.
	Props map[string]any
}

// Extract reduces a template to its resources and outputs (an output is a
// Resource of kind "Output" named by the output's name).
func Extract(tmpl map[string]any) []Resource {
	r := renderer{params: map[string]string{}, cfnJSON: map[string]any{}}
	params, _ := tmpl["Parameters"].(map[string]any)
	for name, p := range params {
		pm, _ := p.(map[string]any)
		if t, _ := pm["Type"].(string); strings.HasPrefix(t, "AWS::SSM::Parameter::Value") {
			if d, ok := pm["Default"].(string); ok {
				r.params[name] = d
			}
		}
	}
	resources, _ := tmpl["Resources"].(map[string]any)
	for id, res := range resources {
		if get(res, "Type") == "Custom::AWSCDKCfnJson" {
			r.cfnJSON[id] = get(res, "Properties.Value")
		}
	}
	ids := make([]string, 0, len(resources))
	for id := range resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []Resource
	for _, id := range ids {
		res, _ := resources[id].(map[string]any)
		typ, _ := res["Type"].(string)
		props, _ := res["Properties"].(map[string]any)
		out = append(out, r.extract(id, typ, props)...)
	}
	outputs, _ := tmpl["Outputs"].(map[string]any)
	for name, o := range outputs {
		om, _ := o.(map[string]any)
		p := map[string]any{"Value": r.value(om["Value"])}
		if e := get(om, "Export.Name"); e != nil {
			p["Export"] = r.value(e)
		}
		out = append(out, Resource{LogicalID: name, Type: "Output", Kind: "Output", Props: p})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].LogicalID < out[j].LogicalID })
	return out
}

func (r renderer) extract(id, typ string, p map[string]any) []Resource {
	res := Resource{LogicalID: id, Type: typ, Kind: typ}
	kp := map[string]any{}
	set := func(path string, v any) {
		v = r.value(v)
		if v == nil {
			return
		}
		if l, ok := v.([]any); ok && len(l) == 0 {
			return
		}
		kp[path] = v
	}
	switch typ {
	case "AWS::EKS::Cluster":
		set("Version", p["Version"])
		set("EndpointPublicAccess", orDefault(get(p, "ResourcesVpcConfig.EndpointPublicAccess"), true))
		set("EndpointPrivateAccess", orDefault(get(p, "ResourcesVpcConfig.EndpointPrivateAccess"), false))
		set("PublicAccessCidrs", r.sortedStrings(get(p, "ResourcesVpcConfig.PublicAccessCidrs")))
		set("Logging", r.sortedStrings(enabledLogTypes(get(p, "Logging.ClusterLogging.EnabledTypes"), "Type")))
		set("EncryptionConfig", encryption(r.value(p["EncryptionConfig"])))
		set("AuthenticationMode", orDefault(get(p, "AccessConfig.AuthenticationMode"), "CONFIG_MAP"))
		set("BootstrapClusterCreatorAdminPermissions", orDefault(get(p, "AccessConfig.BootstrapClusterCreatorAdminPermissions"), true))
		set("IpFamily", orDefault(get(p, "KubernetesNetworkConfig.IpFamily"), "ipv4"))
		set("ServiceIpv4Cidr", get(p, "KubernetesNetworkConfig.ServiceIpv4Cidr"))
		set("AutoMode", orDefault(get(p, "ComputeConfig.Enabled"), false))
		set("AutoModeNodePools", r.sortedStrings(get(p, "ComputeConfig.NodePools")))
		set("SupportType", orDefault(get(p, "UpgradePolicy.SupportType"), "EXTENDED"))
		set("ZonalShift", orDefault(get(p, "ZonalShiftConfig.Enabled"), false))
		set("ControlPlaneScalingTier", orDefault(get(p, "ControlPlaneScalingConfig.Tier"), "standard"))
		set("DeletionProtection", orDefault(p["DeletionProtection"], false))
		set("Force", orDefault(p["Force"], false))
		set("OutpostConfig", p["OutpostConfig"])
		set("RemoteNodeNetworks", r.sortedStrings(remoteCidrs(r.value(get(p, "RemoteNetworkConfig.RemoteNodeNetworks")), "Cidrs")))
		set("RemotePodNetworks", r.sortedStrings(remoteCidrs(r.value(get(p, "RemoteNetworkConfig.RemotePodNetworks")), "Cidrs")))
		set("Tags", tagStrings(r.value(p["Tags"])))
	case "Custom::AWSCDK-EKS-Cluster":
		// aws-eks (v1) creates the cluster through its own provider; the
		// Config is the EKS CreateCluster request.
		res.Kind = "AWS::EKS::Cluster"
		c := get(p, "Config")
		set("Version", get(c, "version"))
		set("EndpointPublicAccess", orDefault(get(c, "resourcesVpcConfig.endpointPublicAccess"), true))
		set("EndpointPrivateAccess", orDefault(get(c, "resourcesVpcConfig.endpointPrivateAccess"), false))
		set("PublicAccessCidrs", r.sortedStrings(get(c, "resourcesVpcConfig.publicAccessCidrs")))
		set("Logging", r.sortedStrings(clusterLoggingV1(get(c, "logging.clusterLogging"))))
		set("EncryptionConfig", encryption(r.value(get(c, "encryptionConfig"))))
		set("AuthenticationMode", orDefault(get(c, "accessConfig.authenticationMode"), "CONFIG_MAP"))
		set("BootstrapClusterCreatorAdminPermissions", orDefault(get(c, "accessConfig.bootstrapClusterCreatorAdminPermissions"), true))
		set("IpFamily", orDefault(get(c, "kubernetesNetworkConfig.ipFamily"), "ipv4"))
		set("ServiceIpv4Cidr", get(c, "kubernetesNetworkConfig.serviceIpv4Cidr"))
		set("AutoMode", false)
		set("SupportType", "EXTENDED")
		set("ZonalShift", false)
		set("ControlPlaneScalingTier", orDefault(get(c, "controlPlaneScalingConfig.tier"), "standard"))
		set("DeletionProtection", orDefault(get(c, "deletionProtection"), false))
		set("Force", false)
		set("RemoteNodeNetworks", r.sortedStrings(remoteCidrs(r.value(get(c, "remoteNetworkConfig.remoteNodeNetworks")), "cidrs")))
		set("RemotePodNetworks", r.sortedStrings(remoteCidrs(r.value(get(c, "remoteNetworkConfig.remotePodNetworks")), "cidrs")))
		set("Tags", tagStrings(r.value(get(c, "tags"))))
	case "AWS::EKS::Nodegroup":
		set("InstanceTypes", r.sortedStrings(p["InstanceTypes"]))
		set("ScalingConfig", p["ScalingConfig"])
		set("CapacityType", orDefault(p["CapacityType"], "ON_DEMAND"))
		set("Labels", p["Labels"])
		set("Taints", sortedList(r.value(p["Taints"])))
		set("AmiType", p["AmiType"])
		set("DiskSize", p["DiskSize"])
		set("UpdateConfig", p["UpdateConfig"])
		set("RemoteAccess", p["RemoteAccess"])
		set("ReleaseVersion", p["ReleaseVersion"])
		set("NodeRepairConfig", p["NodeRepairConfig"])
		set("ForceUpdateEnabled", orDefault(p["ForceUpdateEnabled"], false))
		set("LaunchTemplate", p["LaunchTemplate"])
		set("Tags", p["Tags"])
	case "AWS::EKS::FargateProfile":
		set("Selectors", sortedList(r.value(p["Selectors"])))
		set("FargateProfileName", p["FargateProfileName"])
	case "Custom::AWSCDK-EKS-FargateProfile":
		res.Kind = "AWS::EKS::FargateProfile"
		set("Selectors", sortedList(upperKeys(r.value(get(p, "Config.selectors")))))
	case "AWS::EKS::AccessEntry":
		set("PrincipalArn", p["PrincipalArn"])
		set("Type", orDefault(p["Type"], "STANDARD"))
		set("KubernetesGroups", r.sortedStrings(p["KubernetesGroups"]))
		set("AccessPolicies", sortedList(r.value(p["AccessPolicies"])))
	case "AWS::EKS::Addon":
		set("AddonName", p["AddonName"])
		set("AddonVersion", p["AddonVersion"])
		set("ConfigurationValues", jsonOrString(r.value(p["ConfigurationValues"])))
		set("ResolveConflicts", orDefault(p["ResolveConflicts"], "NONE"))
		set("PreserveOnDelete", orDefault(p["PreserveOnDelete"], false))
		set("Namespace", get(p, "NamespaceConfig.Namespace"))
		set("PodIdentityAssociations", sortedList(r.value(p["PodIdentityAssociations"])))
		set("ServiceAccountRoleArn", p["ServiceAccountRoleArn"])
	case "AWS::EKS::IdentityProviderConfig":
		set("IdentityProviderConfigName", p["IdentityProviderConfigName"])
		set("Type", p["Type"])
		set("Oidc", p["Oidc"])
	case "AWS::EKS::Capability":
		set("CapabilityName", p["CapabilityName"])
		set("Type", p["Type"])
		set("RoleArn", p["RoleArn"])
		set("DeletePropagationPolicy", p["DeletePropagationPolicy"])
		set("Configuration", p["Configuration"])
	case "AWS::EKS::PodIdentityAssociation":
		set("Namespace", p["Namespace"])
		set("ServiceAccount", p["ServiceAccount"])
		set("RoleArn", p["RoleArn"])
	case "AWS::IAM::Role":
		// A document with tokens in keys may be written as a string.
		set("Trust", trust(r, get(jsonOrString(r.value(p["AssumeRolePolicyDocument"])), "Statement")))
		set("ManagedPolicies", managedPolicyNames(r.sortedStrings(p["ManagedPolicyArns"])))
	case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
		set("Actions", actions(r, get(jsonOrString(r.value(p["PolicyDocument"])), "Statement")))
	case "AWS::IAM::OIDCProvider":
		res.Identity = "oidc"
		set("Url", p["Url"])
		set("ClientIdList", r.sortedStrings(p["ClientIdList"]))
	case "Custom::AWSCDKOpenIdConnectProvider":
		res.Kind, res.Identity = "AWS::IAM::OIDCProvider", "oidc"
		set("Url", p["Url"])
		set("ClientIdList", r.sortedStrings(p["ClientIDList"]))
	case "AWS::AutoScaling::AutoScalingGroup":
		set("MinSize", p["MinSize"])
		set("MaxSize", p["MaxSize"])
		set("DesiredCapacity", p["DesiredCapacity"])
		set("Tags", asgTags(r.value(p["Tags"])))
	case "AWS::EC2::LaunchTemplate":
		d := get(p, "LaunchTemplateData")
		set("InstanceType", get(d, "InstanceType"))
		set("ImageId", get(d, "ImageId"))
		set("KeyName", get(d, "KeyName"))
		set("SpotPrice", get(d, "InstanceMarketOptions.SpotOptions.MaxPrice"))
		set("MetadataOptions.HttpTokens", orDefault(get(d, "MetadataOptions.HttpTokens"), "optional"))
		set("MetadataOptions.HttpPutResponseHopLimit", orDefault(get(d, "MetadataOptions.HttpPutResponseHopLimit"), 1))
		set("InClusterSecurityGroup", namesClusterSecurityGroup(get(d, "SecurityGroupIds"), get(d, "NetworkInterfaces")))
		if ud := get(d, "UserData"); ud != nil {
			for k, v := range userDataFacts(r.str(ud)) {
				set("UserData."+k, v)
			}
		}
	case "AWS::AutoScaling::LaunchConfiguration":
		res.Kind = "AWS::EC2::LaunchTemplate"
		set("InstanceType", p["InstanceType"])
		set("ImageId", p["ImageId"])
		set("KeyName", p["KeyName"])
		set("SpotPrice", p["SpotPrice"])
		set("MetadataOptions.HttpTokens", orDefault(get(p, "MetadataOptions.HttpTokens"), "optional"))
		set("MetadataOptions.HttpPutResponseHopLimit", orDefault(get(p, "MetadataOptions.HttpPutResponseHopLimit"), 1))
		set("InClusterSecurityGroup", namesClusterSecurityGroup(p["SecurityGroups"]))
		if ud := p["UserData"]; ud != nil {
			for k, v := range userDataFacts(r.str(ud)) {
				set("UserData."+k, v)
			}
		}
	case "Custom::AWSCDK-EKS-KubernetesResource":
		return r.manifest(id, typ, p)
	case "Custom::EksForge-AwsAuth":
		res.Kind, res.Identity = "aws-auth", "kube-system/aws-auth"
		res.Props = awsAuth(r, p["MapRoles"], p["MapUsers"], p["MapAccounts"])
		return []Resource{res}
	case "Custom::AWSCDK-EKS-HelmChart":
		res.Identity = r.str(p["Chart"]) + " in " + r.str(orDefault(p["Namespace"], "default"))
		set("Chart", p["Chart"])
		set("Repository", p["Repository"])
		set("Version", p["Version"])
		set("Namespace", orDefault(p["Namespace"], "default"))
		set("Values", jsonOrString(r.value(p["Values"])))
		set("CreateNamespace", boolish(orDefault(p["CreateNamespace"], false)))
		set("Wait", boolish(orDefault(p["Wait"], false)))
		set("Atomic", boolish(orDefault(p["Atomic"], false)))
		set("SkipCrds", boolish(orDefault(p["SkipCrds"], false)))
		set("Timeout", duration(r.value(p["Timeout"])))
	case "Custom::AWSCDK-EKS-KubernetesPatch":
		set("ResourceName", p["ResourceName"])
		set("ResourceNamespace", orDefault(p["ResourceNamespace"], "default"))
		set("ApplyPatch", jsonOrString(r.value(orDefault(p["ApplyPatchJson"], p["ApplyPatch"]))))
		set("RestorePatch", jsonOrString(r.value(orDefault(p["RestorePatchJson"], p["RestorePatch"]))))
		set("PatchType", orDefault(p["PatchType"], "strategic"))
	case "Custom::AWSCDK-EKS-KubernetesObjectValue":
		set("ObjectType", p["ObjectType"])
		set("ObjectName", p["ObjectName"])
		set("ObjectNamespace", orDefault(p["ObjectNamespace"], "default"))
		set("JsonPath", p["JsonPath"])
	default:
		res.Props = nil
		return []Resource{res}
	}
	res.Props = map[string]any{}
	for k, v := range kp {
		flatten(k, v, res.Props)
	}
	return []Resource{res}
}

// manifest splits a manifest resource into one Resource per Kubernetes
// object; the aws-auth ConfigMap becomes the "aws-auth" kind.
func (r renderer) manifest(id, typ string, p map[string]any) []Resource {
	text := r.str(p["Manifest"])
	var objs []any
	if err := json.Unmarshal([]byte(text), &objs); err != nil {
		// A manifest sent as an S3 asset, or unparseable: presence only.
		return []Resource{{LogicalID: id, Type: typ, Kind: typ + " (unparsed)", Props: map[string]any{"Manifest": show(p["Manifest"])}}}
	}
	var out []Resource
	for _, o := range objs {
		obj, _ := o.(map[string]any)
		api, _ := obj["apiVersion"].(string)
		kind, _ := obj["kind"].(string)
		ns, _ := get(obj, "metadata.namespace").(string)
		name, _ := get(obj, "metadata.name").(string)
		ident := kind + " " + ns + "/" + name
		if kind == "ConfigMap" && ns == "kube-system" && name == "aws-auth" {
			out = append(out, Resource{
				LogicalID: id, Type: typ, Kind: "aws-auth", Identity: "kube-system/aws-auth",
				Props: awsAuth(r, get(obj, "data.mapRoles"), get(obj, "data.mapUsers"), get(obj, "data.mapAccounts")),
			})
			continue
		}
		props := map[string]any{}
		clean := dropPruneLabels(obj)
		for k, v := range clean {
			if k == "apiVersion" || k == "kind" {
				continue
			}
			flatten(k, v, props)
		}
		out = append(out, Resource{LogicalID: id + "/" + ident, Type: typ, Kind: "Kubernetes " + api + " " + kind, Identity: ident, Props: props})
	}
	return out
}

// dropPruneLabels removes the ownership labels both libraries add
// (aws.cdk.eks/prune-<addr>), which name construct addresses.
func dropPruneLabels(obj map[string]any) map[string]any {
	b, _ := json.Marshal(obj)
	var c map[string]any
	_ = json.Unmarshal(b, &c)
	if labels, ok := get(c, "metadata.labels").(map[string]any); ok {
		for k := range labels {
			if strings.HasPrefix(k, "aws.cdk.eks/prune-") {
				delete(labels, k)
			}
		}
		if len(labels) == 0 {
			delete(c["metadata"].(map[string]any), "labels")
		}
	}
	return c
}

// awsAuth renders the three aws-auth lists as sorted one-line entries.
func awsAuth(r renderer, roles, users, accounts any) map[string]any {
	out := map[string]any{}
	entries := func(v any, arnKey string) []any {
		s := r.str(v)
		if v == nil || s == "" {
			return nil
		}
		var list []map[string]any
		if err := json.Unmarshal([]byte(s), &list); err != nil {
			return []any{"unparsed: " + s}
		}
		var lines []string
		for _, e := range list {
			groups := r.sortedStrings(e["groups"])
			lines = append(lines, fmt.Sprintf("%s as %s in %v", r.str(e[arnKey]), r.str(e["username"]), groups))
		}
		sort.Strings(lines)
		res := make([]any, len(lines))
		for i, l := range lines {
			res[i] = l
		}
		return res
	}
	if l := entries(roles, "rolearn"); len(l) > 0 {
		out["mapRoles"] = l
	}
	if l := entries(users, "userarn"); len(l) > 0 {
		out["mapUsers"] = l
	}
	if accounts != nil {
		var list []any
		if err := json.Unmarshal([]byte(r.str(accounts)), &list); err == nil && len(list) > 0 {
			out["mapAccounts"] = r.sortedStrings(list)
		}
	}
	return out
}

func orDefault(v, d any) any {
	if v == nil {
		return d
	}
	return v
}

// boolish reads "true"/"false" strings (custom resource properties are
// strings once they reach the handler) as booleans.
func boolish(v any) any {
	switch t := v.(type) {
	case string:
		return t == "true"
	}
	return v
}

func jsonOrString(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	var out any
	if err := json.Unmarshal([]byte(s), &out); err == nil {
		return out
	}
	return s
}

func enabledLogTypes(v any, key string) []any {
	list, _ := v.([]any)
	var out []any
	for _, e := range list {
		out = append(out, get(e, key))
	}
	return out
}

func clusterLoggingV1(v any) []any {
	list, _ := v.([]any)
	var out []any
	for _, e := range list {
		if get(e, "enabled") == true {
			types, _ := get(e, "types").([]any)
			out = append(out, types...)
		}
	}
	return out
}

// encryption reduces an encryption config to "resources with key".
func encryption(v any) any {
	list, _ := v.([]any)
	var out []any
	for _, e := range list {
		res := get(e, "Resources")
		if res == nil {
			res = get(e, "resources")
		}
		key := get(e, "Provider.KeyArn")
		if key == nil {
			key = get(e, "provider.keyArn")
		}
		out = append(out, fmt.Sprintf("%v with %v", res, key))
	}
	return out
}

func tagStrings(v any) any {
	switch t := v.(type) {
	case map[string]any:
		return t
	case []any:
		m := map[string]any{}
		for _, e := range t {
			m[fmt.Sprint(get(e, "Key"))] = get(e, "Value")
		}
		return m
	}
	return nil
}

func asgTags(v any) any {
	list, _ := v.([]any)
	m := map[string]any{}
	for _, e := range list {
		k := fmt.Sprint(get(e, "Key"))
		if k == "Name" {
			continue // the construct path, which both name alike
		}
		m[k] = fmt.Sprintf("%v (at launch: %v)", get(e, "Value"), get(e, "PropagateAtLaunch"))
	}
	return m
}

func sortedList(v any) any {
	list, ok := v.([]any)
	if !ok {
		return v
	}
	out := append([]any(nil), list...)
	sort.Slice(out, func(i, j int) bool { return canonical(out[i]) < canonical(out[j]) })
	return out
}

// upperKeys turns aws-eks's camelCase Fargate selectors into the
// CloudFormation spelling.
func upperKeys(v any) any {
	switch t := v.(type) {
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = upperKeys(e)
		}
		return out
	case map[string]any:
		out := map[string]any{}
		for k, e := range t {
			if k == "labels" {
				var labels []any
				if m, ok := e.(map[string]any); ok {
					for lk, lv := range m {
						labels = append(labels, map[string]any{"Key": lk, "Value": lv})
					}
				}
				out["Labels"] = sortedList(labels)
				continue
			}
			out[strings.ToUpper(k[:1])+k[1:]] = e
		}
		return out
	}
	return v
}

// trust renders each trust statement as one line: effect, sorted actions,
// principal, conditions. Statements of one principal and condition merge.
func trust(r renderer, v any) any {
	list, _ := r.value(v).([]any)
	byKey := map[string]map[string]bool{}
	for _, s := range list {
		key := fmt.Sprintf("%v %s", get(s, "Effect"), canonical(get(s, "Principal")))
		if c := get(s, "Condition"); c != nil {
			key += " if " + canonical(c)
		}
		if byKey[key] == nil {
			byKey[key] = map[string]bool{}
		}
		for _, a := range r.sortedStrings(get(s, "Action")) {
			byKey[key][a.(string)] = true
		}
	}
	var out []string
	for k, acts := range byKey {
		var a []string
		for x := range acts {
			a = append(a, x)
		}
		sort.Strings(a)
		out = append(out, strings.Join(a, ",")+" by "+k)
	}
	sort.Strings(out)
	res := make([]any, len(out))
	for i, s := range out {
		res[i] = s
	}
	return res
}

func actions(r renderer, v any) any {
	list, _ := r.value(v).([]any)
	set := map[string]bool{}
	for _, s := range list {
		for _, a := range r.sortedStrings(get(s, "Action")) {
			set[fmt.Sprint(a)] = true
		}
	}
	var out []string
	for a := range set {
		out = append(out, a)
	}
	sort.Strings(out)
	res := make([]any, len(out))
	for i, s := range out {
		res[i] = s
	}
	return res
}

var rePolicyName = regexp.MustCompile(`:policy/([^\s"}]+)`)

// managedPolicyNames keeps the name of each managed policy ARN; a policy
// attached under a condition (aws-cdk-lib's ECR public policy, only in the
// aws partition) is marked so.
func managedPolicyNames(list []any) any {
	out := make([]any, len(list))
	for i, e := range list {
		s := fmt.Sprint(e)
		if m := rePolicyName.FindStringSubmatch(s); m != nil {
			name := m[1]
			if strings.HasPrefix(s, "{If ") {
				name += " (conditional)"
			}
			s = name
		}
		out[i] = s
	}
	return out
}

// duration reads a duration written as Go does ("10m0s") or as seconds
// ("600s", 600) and renders it in seconds.
func duration(v any) any {
	switch t := v.(type) {
	case string:
		if d, err := time.ParseDuration(t); err == nil {
			return fmt.Sprintf("%.0fs", d.Seconds())
		}
	case float64:
		return fmt.Sprintf("%.0fs", t)
	}
	return v
}

var (
	reNodeLabels = regexp.MustCompile(`--node-labels[= ]([^\s"'\\]+)`)
	reTaints     = regexp.MustCompile(`--register-with-taints[= ]([^\s"'\\]+)`)
	reDNS        = regexp.MustCompile(`--dns-cluster-ip[= ]([0-9a-fA-F.:]+)`)
	reClusterDNS = regexp.MustCompile(`clusterDNS:\s*\n\s*-\s*"?([0-9a-fA-F.:]+)`)
	reMaxPods    = regexp.MustCompile(`maxPods:\s*(\d+)`)
	reUseMaxPods = regexp.MustCompile(`--use-max-pods[= ](\w+)`)
	reBRLabel    = regexp.MustCompile(`"([^"]+)"\s*=\s*"([^"]*)"`)
)

// userDataFacts reads what a node's user data asks of the node bootstrap:
// which bootstrap (AL2's bootstrap.sh, AL2023's nodeadm NodeConfig,
// Bottlerocket settings, or the user's own), node labels, taints, the
// cluster DNS address, max pods, whether it signals CloudFormation, and the
// user's own shell commands.
func userDataFacts(s string) map[string]any {
	f := map[string]any{}
	switch {
	case strings.Contains(s, "kind: NodeConfig"):
		f["Bootstrap"] = "AL2023 nodeadm NodeConfig"
	case strings.Contains(s, "/etc/eks/bootstrap.sh"):
		f["Bootstrap"] = "AL2 /etc/eks/bootstrap.sh"
	case strings.Contains(s, "[settings.kubernetes]"):
		f["Bootstrap"] = "Bottlerocket settings"
	default:
		f["Bootstrap"] = "none (user data of the user's own)"
	}
	var labels, taints []string
	for _, m := range reNodeLabels.FindAllStringSubmatch(s, -1) {
		labels = append(labels, strings.Split(m[1], ",")...)
	}
	if i := strings.Index(s, "[settings.kubernetes.node-labels]"); i >= 0 {
		block := s[i+len("[settings.kubernetes.node-labels]"):]
		if j := strings.Index(block, "\n["); j >= 0 {
			block = block[:j]
		}
		for _, m := range reBRLabel.FindAllStringSubmatch(block, -1) {
			labels = append(labels, m[1]+"="+m[2])
		}
	}
	for _, m := range reTaints.FindAllStringSubmatch(s, -1) {
		taints = append(taints, strings.Split(m[1], ",")...)
	}
	if len(labels) > 0 {
		sort.Strings(labels)
		f["NodeLabels"] = strings.Join(labels, ",")
	}
	if len(taints) > 0 {
		sort.Strings(taints)
		f["Taints"] = strings.Join(taints, ",")
	}
	if m := reDNS.FindStringSubmatch(s); m != nil {
		f["ClusterDNS"] = m[1]
	} else if m := reClusterDNS.FindStringSubmatch(s); m != nil {
		f["ClusterDNS"] = m[1]
	}
	// bootstrap.sh --use-max-pods false leaves kubelet at its default of
	// 110 pods, the value nodeadm is given explicitly.
	if m := reUseMaxPods.FindStringSubmatch(s); m != nil && m[1] == "false" {
		f["MaxPods"] = "110"
	} else if m := reMaxPods.FindStringSubmatch(s); m != nil {
		f["MaxPods"] = m[1]
	}
	f["SignalsCloudFormation"] = strings.Contains(s, "cfn-signal")
	var cmds []string
	for _, line := range strings.Split(s, "\n") {
		l := strings.TrimSpace(line)
		switch {
		case l == "", strings.HasPrefix(l, "#"), l == "set -o xtrace",
			strings.Contains(l, "/etc/eks/bootstrap.sh"), strings.Contains(l, "cfn-signal"):
			continue
		}
		if f["Bootstrap"] == "none (user data of the user's own)" || strings.HasPrefix(l, "echo ") {
			cmds = append(cmds, l)
		}
	}
	if len(cmds) > 0 {
		f["Commands"] = strings.Join(cmds, "; ")
	}
	return f
}

// remoteCidrs flattens a list of remote networks ({Cidrs: [...]}, or
// {cidrs: [...]} in aws-eks's request) to their blocks: how the blocks are
// grouped into networks does not matter to EKS.
func remoteCidrs(v any, key string) any {
	l, ok := v.([]any)
	if !ok {
		return nil
	}
	var out []any
	for _, n := range l {
		if c, ok := get(n, key).([]any); ok {
			out = append(out, c...)
		}
	}
	return out
}

// namesClusterSecurityGroup says whether a launch template's or launch
// configuration's security groups include the one EKS creates for the
// cluster (the cluster's ClusterSecurityGroupId attribute), which makes the
// instances members of it.
func namesClusterSecurityGroup(groups ...any) bool {
	for _, g := range groups {
		b, _ := json.Marshal(g)
		if strings.Contains(string(b), `"ClusterSecurityGroupId"`) {
			return true
		}
	}
	return false
}
