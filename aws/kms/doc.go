// Package kms has the AWS Key Management Service constructs: [Key] (with the
// AWS CDK's default key policy, rotation, aliases, removal policy retain),
// [Alias], grants with the AWS CDK's action lists, and keys imported by ARN
// ([KeyFromKeyArn]).
//
//	key := kms.NewKey(stack, "SecretsKey", kms.KeyProps{
//		Alias:             "eks/secrets",
//		EnableKeyRotation: true,
//	})
//	key.GrantEncryptDecrypt(role)
//
// A grant to a role of the key's account and region goes into the role's
// policy only: the default key policy delegates access to the account's IAM
// policies. A grant to a role of another account or region also adds a
// statement to the key policy.
//
// Every [IKey] reports its account and region with Env (an imported key's
// come from its ARN), which constructs use to reject a key in another
// region.
package kms
