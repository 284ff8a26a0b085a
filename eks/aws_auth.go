package eks

import (
	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	"github.com/eksforge/eksforge/internal/optarg"
)

// AwsAuthResourceType is the custom resource type of aws-auth entries.
const AwsAuthResourceType = "Custom::EksForge-AwsAuth"

// AwsAuthMapping maps an IAM principal to Kubernetes.
type AwsAuthMapping struct {
	// Username is the Kubernetes user name.
	// Default: the principal's ARN.
	Username string
	// Groups are the Kubernetes groups, e.g. "system:masters".
	// Default: none.
	Groups []string
}

// AwsAuth manages the cluster's entries in the kube-system/aws-auth
// ConfigMap (custom resource Custom::EksForge-AwsAuth, one per cluster).
// Unlike the AWS CDK's, which writes the whole ConfigMap, it merges: the
// handler adds and removes only the entries this resource owns, and keeps
// every other entry. Roles of self-managed capacity and the masters role
// are mapped automatically.
type AwsAuth struct {
	cdk.Base
	// Resource is the custom resource (nil in API authentication mode).
	Resource *cdk.CfnResource
	cluster  ICluster
	roles    []map[string]any
	users    []map[string]any
	accounts []any
	seen     map[string]string
}

// AwsAuth returns the cluster's aws-auth entries, made on first use (with
// the role mappings the cluster's capacity and masters role need). In API
// authentication mode the ConfigMap is not read, so using it is a
// synthesis error.
func (c *Cluster) AwsAuth() *AwsAuth { return awsAuthOf(c) }

// AwsAuthOf returns the aws-auth entries of any cluster, owned or imported
// (see [Cluster.AwsAuth]).
func AwsAuthOf(c ICluster) *AwsAuth { return awsAuthOf(c) }

func awsAuthOf(c ICluster) *AwsAuth {
	st := stateOf(c)
	if st.awsAuth != nil {
		return st.awsAuth
	}
	a := &AwsAuth{cluster: c, seen: map[string]string{}}
	cdk.InitConstruct(a, c, "AwsAuth")
	st.awsAuth = a
	if c.AuthenticationMode() == AuthenticationModeApi {
		a.Node().AddError("the cluster's AuthenticationMode is API, which ignores the aws-auth ConfigMap: map principals with access entries (Cluster.GrantAccess) or use API_AND_CONFIG_MAP")
		return a
	}
	a.Resource = newKubectlResource(a, kubectlResourceProps{
		cluster: c,
		typ:     AwsAuthResourceType,
		properties: map[string]any{
			"MapRoles": cdk.LazyAny(func() any {
				if len(a.roles) == 0 {
					return nil
				}
				return toAnyList(a.roles)
			}),
			"MapUsers": cdk.LazyAny(func() any {
				if len(a.users) == 0 {
					return nil
				}
				return toAnyList(a.users)
			}),
			"MapAccounts": cdk.LazyAny(func() any {
				if len(a.accounts) == 0 {
					return nil
				}
				return a.accounts
			}),
		},
	})
	in := c.internals()
	for _, r := range in.mastersRoles {
		a.AddMastersRole(r)
	}
	for _, m := range in.roleMappings {
		a.AddRoleMapping(m.Role, AwsAuthMapping{Username: m.Username, Groups: m.Groups})
	}
	in.onRoleMapping = append(in.onRoleMapping, func(m AwsAuthRoleMapping) {
		a.AddRoleMapping(m.Role, AwsAuthMapping{Username: m.Username, Groups: m.Groups})
	})
	return a
}

func toAnyList(l []map[string]any) []any {
	out := make([]any, len(l))
	for i, m := range l {
		out[i] = m
	}
	return out
}

func groupsList(g []string) []any {
	out := make([]any, len(g))
	for i, s := range g {
		out[i] = s
	}
	return out
}

// AddRoleMapping maps an IAM role to a Kubernetes user and groups. Mapping
// one role twice the same way is a no-op; mapping it twice differently is a
// synthesis error (aws-auth would hold two conflicting entries).
func (a *AwsAuth) AddRoleMapping(role iam.IRole, m AwsAuthMapping) {
	if isNil(role) {
		a.Node().AddError("AddRoleMapping: the role is a nil %T: pass a role (iam.NewRole or iam.RoleFromRoleArn)", role)
		return
	}
	arn := role.RoleArn()
	user := m.Username
	if user == "" {
		user = arn
	}
	if !a.checkMapping("role", role, arn, user, m.Groups) {
		return
	}
	a.roles = append(a.roles, map[string]any{"rolearn": arn, "username": user, "groups": groupsList(m.Groups)})
	a.dependOnStack(role)
}

// AddUserMapping maps an IAM user to a Kubernetes user and groups (see
// AddRoleMapping for mapping one user twice).
func (a *AwsAuth) AddUserMapping(user iam.IUser, m AwsAuthMapping) {
	if isNil(user) {
		a.Node().AddError("AddUserMapping: the user is a nil %T: pass a user (iam.NewUser or iam.UserFromUserArn)", user)
		return
	}
	arn := user.UserArn()
	name := m.Username
	if name == "" {
		name = arn
	}
	if !a.checkMapping("user", user, arn, name, m.Groups) {
		return
	}
	a.users = append(a.users, map[string]any{"userarn": arn, "username": name, "groups": groupsList(m.Groups)})
	a.dependOnStack(user)
}

// MastersRoleOptions tune [AwsAuth.AddMastersRole].
type MastersRoleOptions struct {
	// Username is the Kubernetes user name the role maps to.
	// Default: the role's ARN.
	Username string
}

// AddMastersRole maps a role to the system:masters group (cluster-admin).
// Pass at most one options value.
func (a *AwsAuth) AddMastersRole(role iam.IRole, opts ...MastersRoleOptions) {
	o := optarg.One(a.Node().Path()+": AddMastersRole", opts)
	a.AddRoleMapping(role, AwsAuthMapping{Username: o.Username, Groups: []string{"system:masters"}})
}

// AddAccount maps every IAM principal of an AWS account (a 12-digit ID).
func (a *AwsAuth) AddAccount(accountID string) {
	if !cdk.IsUnresolved(accountID) && !accountIDPattern.MatchString(accountID) {
		a.Node().AddError("AddAccount: %q is not an AWS account ID: use the 12 digits of the account", accountID)
		return
	}
	key := "account|" + accountID
	if a.seen[key] != "" {
		return
	}
	a.seen[key] = "mapped"
	a.accounts = append(a.accounts, accountID)
}

// dependOnStack reports a principal defined in a stack that depends on the
// cluster's: the mapping would make the stacks depend on each other.
func (a *AwsAuth) dependOnStack(p cdk.Construct) {
	ps, as := cdk.StackOf(p), cdk.StackOf(a)
	if ps == nil || as == nil || ps == as {
		return
	}
	for _, d := range ps.Dependencies() {
		if d == as {
			a.Node().AddError("%s is in stack %s, which depends on the cluster's stack %s: the mapping would make the stacks depend on each other; define the principal in the cluster's stack or import it by ARN", p.Node().Path(), ps.Node().Path(), as.Node().Path())
		}
	}
}
