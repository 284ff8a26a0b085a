package kms

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/eksforge/eksforge/aws/iam"
	"github.com/eksforge/eksforge/cdk"
	cfnkms "github.com/eksforge/eksforge/cfn/kms"
	"github.com/eksforge/eksforge/internal/nilref"
)

// Actions granted by the Grant methods, as in the AWS CDK (aws-kms perms).
var (
	// AdminActions administer a key (GrantAdmin).
	AdminActions = []string{"kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"}
	// EncryptActions encrypt with a key (GrantEncrypt).
	EncryptActions = []string{"kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"}
	// DecryptActions decrypt with a key (GrantDecrypt).
	DecryptActions = []string{"kms:Decrypt"}
)

// IKey is a KMS key, defined in this app ([Key]) or imported
// ([KeyFromKeyArn]). Env reports the key's account and region (from the ARN
// for an imported key), so that a construct can check the key is in its own
// region.
type IKey interface {
	iam.IResourceWithPolicy
	// KeyArn is the key's ARN.
	KeyArn() string
	// KeyId is the key's ID.
	KeyId() string
	// AddAlias adds an alias ("alias/" is prepended when missing).
	AddAlias(aliasName string) *Alias
	// Grant allows grantee the actions on the key.
	Grant(grantee iam.IGrantable, actions ...string) *iam.Grant
	// GrantDecrypt allows kms:Decrypt.
	GrantDecrypt(grantee iam.IGrantable) *iam.Grant
	// GrantEncrypt allows kms:Encrypt, kms:ReEncrypt*, kms:GenerateDataKey*.
	GrantEncrypt(grantee iam.IGrantable) *iam.Grant
	// GrantEncryptDecrypt allows both.
	GrantEncryptDecrypt(grantee iam.IGrantable) *iam.Grant
}

// KeySpec is the type of a key.
type KeySpec string

// Key specs (the common ones; any value CloudFormation accepts works).
const (
	// KeySpecSymmetricDefault is a 256-bit symmetric key.
	KeySpecSymmetricDefault KeySpec = "SYMMETRIC_DEFAULT"
	// KeySpecRSA2048 is an RSA key pair.
	KeySpecRSA2048 KeySpec = "RSA_2048"
	// KeySpecECCNistP256 is an elliptic-curve key pair.
	KeySpecECCNistP256 KeySpec = "ECC_NIST_P256"
	// KeySpecHMAC256 is an HMAC key.
	KeySpecHMAC256 KeySpec = "HMAC_256"
)

// KeyUsage is what a key is used for.
type KeyUsage string

// Key usages.
const (
	// KeyUsageEncryptDecrypt: encryption and decryption.
	KeyUsageEncryptDecrypt KeyUsage = "ENCRYPT_DECRYPT"
	// KeyUsageSignVerify: signing and verification.
	KeyUsageSignVerify KeyUsage = "SIGN_VERIFY"
	// KeyUsageGenerateVerifyMAC: MACs.
	KeyUsageGenerateVerifyMAC KeyUsage = "GENERATE_VERIFY_MAC"
)

// KeyProps define a [Key].
type KeyProps struct {
	// Description of the key.
	// Default: none.
	Description string
	// Alias for the key ("alias/" is prepended when missing).
	// Default: none.
	Alias string
	// EnableKeyRotation rotates the key material yearly (or every
	// RotationPeriod).
	// Default: false.
	EnableKeyRotation bool
	// RotationPeriod between 90 and 2560 days; setting it enables rotation.
	// Default: 365 days when rotation is enabled.
	RotationPeriod cdk.Duration
	// Disabled creates the key disabled.
	// Default: false (enabled).
	Disabled bool
	// KeySpec is the key's type.
	// Default: KeySpecSymmetricDefault.
	KeySpec KeySpec
	// KeyUsage is what the key is for.
	// Default: KeyUsageEncryptDecrypt.
	KeyUsage KeyUsage
	// MultiRegion makes a multi-Region primary key.
	// Default: false.
	MultiRegion bool
	// Policy is the key policy. When set, it replaces the default policy
	// (which lets the account's IAM policies grant access to the key).
	// Default: one statement allowing the account root kms:* on the key.
	Policy *iam.PolicyDocument
	// Admins are principals allowed to administer the key (AdminActions).
	// Default: none.
	Admins []iam.IGrantable
	// RemovalPolicy applies when the key leaves the stack.
	// Default: cdk.RemovalPolicyRetain (a deleted key cannot decrypt data).
	RemovalPolicy cdk.RemovalPolicy
	// PendingWindow is the waiting period, 7 to 30 days, before a deleted
	// key is destroyed.
	// Default: 30 days (not rendered).
	PendingWindow cdk.Duration
}

// Key is a KMS key (AWS::KMS::Key) with a key policy that lets the
// account's IAM policies grant access, as the AWS CDK writes it by default.
type Key struct {
	cdk.Base
	resource *cfnkms.CfnKey
	policy   *iam.PolicyDocument
	aliases  []*Alias
}

// NewKey adds a key to scope.
func NewKey(scope cdk.Construct, id string, props KeyProps) *Key {
	k := &Key{policy: props.Policy}
	cdk.InitConstruct(k, scope, id)
	typedNils := nilref.Clear(&props, "KeyProps")
	for _, e := range typedNils {
		k.Node().AddError("%s: pass a value, or leave the field unset", e)
	}
	spec, usage := props.KeySpec, props.KeyUsage
	if spec == "" {
		spec = KeySpecSymmetricDefault
	}
	if usage == "" {
		usage = KeyUsageEncryptDecrypt
	}
	if deny := specDenied[usage]; deny != nil && deny.MatchString(string(spec)) {
		k.Node().AddError("key spec %s cannot be used for %s", spec, usage)
	}
	rotation := props.EnableKeyRotation
	if rotation && spec != KeySpecSymmetricDefault {
		k.Node().AddError("key rotation cannot be enabled on %s keys, only on symmetric keys (SYMMETRIC_DEFAULT)", spec)
	}
	var rotationDays *int
	if !props.RotationPeriod.IsZero() {
		d, err := props.RotationPeriod.ToDays()
		switch {
		case err != nil:
			k.Node().AddError("RotationPeriod: %v", err)
		case props.RotationPeriod.IsUnresolved():
			k.Node().AddError("RotationPeriod must be known at synthesis, not a token")
		case d < 90 || d > 2560:
			k.Node().AddError("RotationPeriod must be between 90 and 2560 days, got %v", d)
		default:
			rotationDays = cdk.Ptr(int(d))
		}
		rotation = true
	}
	if k.policy == nil {
		k.policy = iam.NewPolicyDocument(iam.PolicyDocumentProps{})
		k.AddToResourcePolicy(iam.NewPolicyStatement(iam.PolicyStatementProps{
			Resources:  []string{"*"},
			Actions:    []string{"kms:*"},
			Principals: []iam.IPrincipal{iam.NewAccountRootPrincipal()},
		}))
	}
	var pending *int
	if !props.PendingWindow.IsZero() {
		d, err := props.PendingWindow.ToDays()
		switch {
		case err != nil:
			k.Node().AddError("PendingWindow: %v", err)
		case props.PendingWindow.IsUnresolved():
			k.Node().AddError("PendingWindow must be known at synthesis, not a token")
		case d < 7 || d > 30:
			k.Node().AddError("PendingWindow must be between 7 and 30 days, got %v", d)
		default:
			pending = cdk.Ptr(int(d))
		}
	}
	p := cfnkms.CfnKeyProps{
		Description:          props.Description,
		KeyPolicy:            k.policy,
		KeySpec:              string(props.KeySpec),
		KeyUsage:             string(props.KeyUsage),
		PendingWindowInDays:  pending,
		RotationPeriodInDays: rotationDays,
	}
	if rotation {
		p.EnableKeyRotation = cdk.Ptr(true)
	}
	if props.Disabled {
		p.Enabled = cdk.Ptr(false)
	}
	if props.MultiRegion {
		p.MultiRegion = cdk.Ptr(true)
	}
	k.resource = cfnkms.NewCfnKey(k, "Resource", p)
	rp := props.RemovalPolicy
	if rp == "" {
		rp = cdk.RemovalPolicyRetain
	}
	k.resource.ApplyRemovalPolicy(rp)
	for _, a := range props.Admins {
		k.GrantAdmin(a)
	}
	if props.Alias != "" {
		k.AddAlias(props.Alias)
	}
	k.Node().AddValidation(func() []string {
		var out []string
		for _, e := range k.policy.ValidateForResourcePolicy() {
			out = append(out, "key policy: "+e)
		}
		return out
	})
	return k
}

var specDenied = map[KeyUsage]*regexp.Regexp{
	KeyUsageEncryptDecrypt:    regexp.MustCompile(`^(ECC_.*|HMAC_.*|ML_DSA_.*)$`),
	KeyUsageSignVerify:        regexp.MustCompile(`^(SYMMETRIC_DEFAULT|HMAC_.*)$`),
	KeyUsageGenerateVerifyMAC: regexp.MustCompile(`^(RSA_.*|ECC_.*|SYMMETRIC_DEFAULT|SM2|ML_DSA_.*)$`),
}

// Resource is the AWS::KMS::Key resource.
func (k *Key) Resource() *cfnkms.CfnKey { return k.resource }

// ApplyRemovalPolicy sets what happens to the key when it leaves the stack
// (KeyProps.RemovalPolicy, retain by default).
func (k *Key) ApplyRemovalPolicy(p cdk.RemovalPolicy) { k.resource.ApplyRemovalPolicy(p) }

// KeyArn is the key's ARN ({"Fn::GetAtt": [key, "Arn"]}).
func (k *Key) KeyArn() string { return k.resource.AttrArn() }

// KeyId is the key's ID ({"Ref": key}).
func (k *Key) KeyId() string { return k.resource.Ref() }

// Policy is the key policy.
func (k *Key) Policy() *iam.PolicyDocument { return k.policy }

// Env is the account and region of the key's stack.
func (k *Key) Env() iam.ResourceEnvironment { return iam.EnvOf(k) }

// String describes the key.
func (k *Key) String() string { return k.Node().Path() }

// AddToResourcePolicy adds a statement to the key policy.
func (k *Key) AddToResourcePolicy(statement *iam.PolicyStatement) iam.AddToResourcePolicyResult {
	k.policy.AddStatements(statement)
	return iam.AddToResourcePolicyResult{StatementAdded: true, PolicyDependable: k}
}

// AddAlias adds an alias to the key: the first is the child "Alias", later
// ones "Alias<name>".
func (k *Key) AddAlias(aliasName string) *Alias {
	id := "Alias"
	if len(k.aliases) > 0 {
		id = "Alias" + strings.ReplaceAll(aliasName, "/", "--")
	}
	a := NewAlias(k, id, AliasProps{AliasName: aliasName, TargetKey: k})
	k.aliases = append(k.aliases, a)
	return a
}

// Grant allows grantee the actions on the key: in the grantee's identity
// policy when it is in the key's account and region, and also in the key
// policy otherwise.
func (k *Key) Grant(grantee iam.IGrantable, actions ...string) *iam.Grant {
	return grantOnKey(k, grantee, actions)
}

// GrantDecrypt allows kms:Decrypt.
func (k *Key) GrantDecrypt(grantee iam.IGrantable) *iam.Grant {
	return k.Grant(grantee, DecryptActions...)
}

// GrantEncrypt allows kms:Encrypt, kms:ReEncrypt*, kms:GenerateDataKey*.
func (k *Key) GrantEncrypt(grantee iam.IGrantable) *iam.Grant {
	return k.Grant(grantee, EncryptActions...)
}

// GrantEncryptDecrypt allows the decrypt and encrypt actions.
func (k *Key) GrantEncryptDecrypt(grantee iam.IGrantable) *iam.Grant {
	return k.Grant(grantee, append(append([]string(nil), DecryptActions...), EncryptActions...)...)
}

// GrantAdmin allows grantee to administer the key.
func (k *Key) GrantAdmin(grantee iam.IGrantable) *iam.Grant {
	return k.Grant(grantee, AdminActions...)
}

// ownedStack returns the stack of a principal defined in this app (a role,
// user or group), or nil.
func ownedStack(p iam.IPrincipal) *cdk.Stack {
	switch x := p.(type) {
	case *iam.Role:
		return cdk.StackOf(x)
	case *iam.User:
		return cdk.StackOf(x)
	case *iam.Group:
		return cdk.StackOf(x)
	}
	return nil
}

func grantOnKey(key IKey, grantee iam.IGrantable, actions []string) *iam.Grant {
	if nilref.IsNil(grantee) || nilref.IsNil(grantee.GrantPrincipal()) {
		// Reported on the key.
		return iam.GrantAddToPrincipalOrResource(iam.GrantWithResourceOptions{Grantee: grantee, Actions: actions, Resource: key})
	}
	principal := grantee.GrantPrincipal()
	keyStack := cdk.StackOf(key)
	env := key.Env()
	cross := false
	var resourcePrincipal iam.IPrincipal = principal
	if gs := ownedStack(principal); gs != nil {
		cross = (keyStack.Account() != gs.Account() && env.Account != gs.Account()) ||
			(keyStack.Region() != gs.Region() && env.Region != gs.Region())
		if gs != keyStack {
			for _, d := range gs.Dependencies() {
				if d == keyStack {
					// The grantee's stack deploys after the key: the key
					// policy cannot name a principal that does not exist yet.
					resourcePrincipal = iam.NewAccountPrincipal(gs.Account())
				}
			}
		}
	}
	opts := iam.GrantWithResourceOptions{
		Grantee:      grantee,
		Actions:      actions,
		Resource:     key,
		ResourceArns: []string{key.KeyArn()},
	}
	if !cross {
		opts.ResourceSelfArns = []string{"*"}
		return iam.GrantAddToPrincipalOrResource(opts)
	}
	opts.ResourceArns = []string{"*"}
	return iam.GrantOnPrincipalAndResource(iam.GrantOnPrincipalAndResourceOptions{GrantWithResourceOptions: opts, ResourcePolicyPrincipal: resourcePrincipal})
}

// importedKey is a key defined outside the app.
type importedKey struct {
	cdk.Base
	arn, id string
	env     iam.ResourceEnvironment
	aliases int
}

// KeyFromKeyArn imports an existing key by ARN
// (arn:<partition>:kms:<region>:<account>:key/<id>). Its account and region
// come from the ARN (Env), so constructs can tell a key in another region.
// Its key policy cannot be changed: grants add statements to the grantee's
// policy only. It panics on a malformed ARN.
func KeyFromKeyArn(scope cdk.Construct, id string, keyArn string) IKey {
	k := &importedKey{arn: keyArn}
	cdk.InitConstruct(k, scope, id)
	if cdk.IsUnresolved(keyArn) {
		parts := cdk.Fn.Split(":", keyArn, 6)
		k.env = iam.ResourceEnvironment{Region: parts[3], Account: parts[4]}
		k.id = cdk.Fn.Select(1, cdk.Fn.Split("/", parts[5]))
		return k
	}
	c, err := cdk.SplitArn(keyArn, cdk.ArnFormatSlashResourceName)
	if err != nil || c.Service != "kms" || c.Resource != "key" || c.ResourceName == "" {
		panic(fmt.Sprintf("kms: %s: key ARN must be arn:<partition>:kms:<region>:<account>:key/<keyId>, got %q", k.Node().Path(), keyArn))
	}
	k.env = iam.ResourceEnvironment{Account: c.Account, Region: c.Region}
	k.id = c.ResourceName
	return k
}

func (k *importedKey) KeyArn() string               { return k.arn }
func (k *importedKey) KeyId() string                { return k.id }
func (k *importedKey) Env() iam.ResourceEnvironment { return k.env }
func (k *importedKey) String() string               { return k.Node().Path() }
func (k *importedKey) AddToResourcePolicy(*iam.PolicyStatement) iam.AddToResourcePolicyResult {
	return iam.AddToResourcePolicyResult{}
}
func (k *importedKey) AddAlias(aliasName string) *Alias {
	id := "Alias"
	if k.aliases > 0 {
		id = "Alias" + strings.ReplaceAll(aliasName, "/", "--")
	}
	k.aliases++
	return NewAlias(k, id, AliasProps{AliasName: aliasName, TargetKey: k})
}
func (k *importedKey) Grant(grantee iam.IGrantable, actions ...string) *iam.Grant {
	return grantOnKey(k, grantee, actions)
}
func (k *importedKey) GrantDecrypt(g iam.IGrantable) *iam.Grant { return k.Grant(g, DecryptActions...) }
func (k *importedKey) GrantEncrypt(g iam.IGrantable) *iam.Grant { return k.Grant(g, EncryptActions...) }
func (k *importedKey) GrantEncryptDecrypt(g iam.IGrantable) *iam.Grant {
	return k.Grant(g, append(append([]string(nil), DecryptActions...), EncryptActions...)...)
}
