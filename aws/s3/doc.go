// Package s3 has the Amazon S3 constructs the EKS library needs: [Bucket]
// (encryption, public access block, versioning, removal policy, TLS-only
// policy), [BucketPolicy], grants with the AWS CDK's action lists
// (including the bucket's KMS key), and buckets imported by name or ARN.
//
//	bucket := s3.NewBucket(stack, "Manifests", s3.BucketProps{
//		Encryption: s3.BucketEncryptionKMS,
//	})
//	bucket.GrantRead(handlerRole)
//
// A bucket is secure by default, where the AWS CDK 2.276 leaves S3's
// defaults: server-side encryption written into the template (SSE-S3, or
// SSE-KMS with a key), every kind of public access blocked
// (PublicAccessBlockConfiguration, all four settings true), and a bucket
// policy that denies requests not made over TLS. BucketProps.BlockPublicAccess
// and BucketProps.AllowInsecureTransport opt out; docs/parity.md lists each
// difference with its reason. Buckets are retained when they leave the stack.
package s3
