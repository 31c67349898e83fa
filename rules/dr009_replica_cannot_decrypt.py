"""A replica cannot decrypt: S3 replication skips KMS-encrypted objects, or a cross-region
replica names a KMS key of another region.

## What it does
Reports S3 buckets whose default encryption is SSE-KMS (or DSSE-KMS) and that replicate, inline
(`replication_configuration`, `ReplicationConfiguration`) or through an
`aws_s3_bucket_replication_configuration`, with an enabled rule that does not replicate
KMS-encrypted objects: no `source_selection_criteria { sse_kms_encrypted_objects }` enabled
(`SourceSelectionCriteria.SseKmsEncryptedObjects.Status: Enabled`), or no replica KMS key
(`replica_kms_key_id`, `EncryptionConfiguration.ReplicaKmsKeyID`).

It also reports cross-region replicas of encrypted databases and tables whose KMS key is not a
key of the replica's own region: an RDS read replica (`replicate_source_db`,
`SourceDBInstanceIdentifier`) or Aurora replica cluster (`replication_source_identifier`), a
secondary cluster of an Aurora global database (`global_cluster_identifier`,
`GlobalClusterIdentifier`), and a DynamoDB global table replica (`replica { kms_key_arn }`,
`aws_dynamodb_table_replica`, `Replicas[].SSESpecification.KMSMasterKeyId`), whose `kms_key_id`
(`KmsKeyId`) is an ARN of another region (typically the source's), a key resource declared in
another region, or the very key reference the source uses while the two are in different
regions. An alias or a bare key id is looked up in the replica's region and passes; a key whose
region cannot be resolved leaves the check unverified.

## Why is this bad?
S3 replication copies objects encrypted with a KMS key only when the rule opts in and names a
key in the destination region to re-encrypt them with. Otherwise those objects are silently left
out: replication reports healthy, the destination fills with the unencrypted or SSE-S3 objects,
and the objects that mattered enough to encrypt with KMS are missing when the region fails. No
other scanner or AWS post-deployment check reports it.

A KMS key exists in one region (a multi-Region key has one ARN per region). A replica in
another region cannot be created with, or later decrypt its storage through, a key of the
source region: the replica is never built, or the DR copy the plan counts on fails when it is
needed.

## Example
```hcl
resource "aws_s3_bucket_server_side_encryption_configuration" "documents" {
  bucket = aws_s3_bucket.documents.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.documents.arn
    }
  }
}

resource "aws_s3_bucket_replication_configuration" "documents" {
  bucket = aws_s3_bucket.documents.id
  role   = aws_iam_role.replication.arn
  rule {
    id     = "all"
    status = "Enabled"
    destination {
      bucket = aws_s3_bucket.documents_replica.arn
    }
  }
}
```
```yaml
Documents:
  Type: AWS::S3::Bucket
  Properties:
    BucketEncryption:
      ServerSideEncryptionConfiguration:
        - ServerSideEncryptionByDefault:
            SSEAlgorithm: aws:kms
            KMSMasterKeyID: !Ref DocumentsKey
    VersioningConfiguration: {Status: Enabled}
    ReplicationConfiguration:
      Role: !GetAtt ReplicationRole.Arn
      Rules:
        - Status: Enabled
          Destination:
            Bucket: arn:aws:s3:::documents-replica-eu-west-1
```

## Fix
Opt in to KMS-encrypted objects and name a key in the destination region:
```hcl
  rule {
    id     = "all"
    status = "Enabled"
    source_selection_criteria {
      sse_kms_encrypted_objects {
        status = "Enabled"
      }
    }
    destination {
      bucket = aws_s3_bucket.documents_replica.arn
      encryption_configuration {
        replica_kms_key_id = aws_kms_key.documents_replica.arn
      }
    }
  }
```
```yaml
      Rules:
        - Status: Enabled
          SourceSelectionCriteria:
            SseKmsEncryptedObjects: {Status: Enabled}
          Destination:
            Bucket: arn:aws:s3:::documents-replica-eu-west-1
            EncryptionConfiguration:
              ReplicaKmsKeyID: !GetAtt ReplicaKey.Arn  # a key in the destination region
```

For a cross-region replica, name a key of its own region (a replica of a multi-Region key,
`aws_kms_replica_key`, or a key declared with the replica's provider):
```hcl
resource "aws_db_instance" "orders_replica" {
  provider            = aws.west
  replicate_source_db = aws_db_instance.orders.arn
  kms_key_id          = aws_kms_key.orders_west.arn   # declared with provider aws.west
}
```
```yaml
OrdersReplica:
  Type: AWS::RDS::DBInstance
  Properties:
    SourceDBInstanceIdentifier: arn:aws:rds:us-east-1:111122223333:db:orders
    KmsKeyId: arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd   # the replica's region
```

An encryption setting or replication rule that cannot be resolved leaves the check unverified.
"""

from __future__ import annotations

from collections.abc import Iterator

from hadr_lint.analysis.region_scope import find_store
from hadr_lint.analysis.replica_keys import ReplicaKey, key_region, replica_keys
from hadr_lint.config import Config
from hadr_lint.graph import Graph
from hadr_lint.model import Problem, Ref, Unknown, Unverified, existence
from hadr_lint.rulebase import Rule, problem, unverified

RULE = Rule(
    id="DR009",
    name="replica-cannot-decrypt",
    severity="error",
    scope="region",
    kinds=("s3_bucket", "db_instance", "db_cluster", "dynamodb_table", "dynamodb_replica"),
    short="A replica cannot decrypt: S3 replication skips KMS-encrypted objects, or a "
    "cross-region replica names another region's KMS key",
    description="A bucket encrypted with SSE-KMS whose replication rules do not opt in to "
    "KMS-encrypted objects, or name no replica key, silently leaves those objects out of its "
    "copy; a cross-region database or table replica encrypted with a key of another region "
    "cannot be built or read.",
    tags=("reliability", "region", "s3", "kms", "replication", "rds", "dynamodb"),
    equivalents={"checkov": "none", "cfn-lint": "none", "trivy": "none", "kics": "none found"},
)


def check(graph: Graph, config: Config) -> Iterator[Problem | Unverified]:
    for bucket in graph.resources("s3_bucket"):
        replicated = _kms_replicated(graph, bucket)
        if replicated is None or replicated is True:
            continue
        encrypted = _kms_encrypted(graph, bucket)
        if encrypted is False:
            continue
        unknown = next((v for v in (encrypted, replicated) if isinstance(v, Unknown)), None)
        if unknown is not None:
            yield unverified(bucket, f"replication of KMS-encrypted objects unknown: "
                             f"{unknown.reason}")
        else:
            yield problem(bucket, "bucket is encrypted with SSE-KMS but its replication does "
                          "not copy KMS-encrypted objects (no sse_kms_encrypted_objects or no "
                          "replica KMS key): those objects are missing from the copy")
    for item in replica_keys(graph, config):
        yield from _check_key(graph, item, config)


def _check_key(graph, item: ReplicaKey, config):
    where = key_region(graph, item.key, config)
    if where is None or item.same_place(graph.resolve(item.key)):
        return  # an alias or key id (looked up in the replica's region), or a key beside it
    if isinstance(where, str) and isinstance(item.region, str):
        if where != item.region:
            whose = " (the source's region)" if where == item.source_region else ""
            yield problem(item.replica, f"{item.what} in {item.region} is encrypted with a KMS "
                          f"key of {where}{whose}: a key of another region cannot encrypt it, "
                          "so the replica cannot be built or read")
        return
    if item.same_place(item.source) or isinstance(item.region, str) and \
            item.region == item.source_region:
        return  # a replica in its source's region: not a cross-region copy
    if _same_key(item) and isinstance(item.region, str) and isinstance(item.source_region, str):
        yield problem(item.replica, f"{item.what} in {item.region} uses the same KMS key "
                      f"reference as its source in {item.source_region}: a key of another "
                      "region cannot encrypt it, so the replica cannot be built or read")
        return
    unknown = next((v for v in (where, item.region, item.source_region)
                    if isinstance(v, Unknown)), None)
    if unknown is not None:
        yield unverified(item.replica, f"KMS key region of the {item.what} unknown: "
                         f"{unknown.reason}")


def _same_key(item: ReplicaKey) -> bool:
    """The replica names the very key its source uses (a reference or an ARN, not an alias)."""
    key = item.key
    named = isinstance(key, Ref) or isinstance(key, str) and key.startswith("arn:")
    return named and key == item.source_key


def _kms_replicated(graph, bucket):
    """False when an enabled rule (inline or in a replication configuration) skips
    KMS-encrypted objects, Unknown when one may, True when all copy them, None without any."""
    values = [bucket.get("kms_replicated")]
    values += _attached(graph, "s3_replication", bucket, "kms_replicated", matters=False)
    if False in values:
        return False
    unknown = next((v for v in values if isinstance(v, Unknown)), None)
    return unknown or (True if True in values else None)


def _kms_encrypted(graph, bucket):
    values = [bucket.get("kms_encrypted")]
    values += _attached(graph, "s3_encryption", bucket, "kms_encrypted", matters=True)
    if True in values:
        return True
    return next((v for v in values if isinstance(v, Unknown)), False)


def _attached(graph, kind: str, bucket, attribute: str, matters: bool) -> list:
    """``attribute`` of each resource of ``kind`` configuring ``bucket``: an Unknown for one
    whose bucket is unknown (it may be this one), and for one that may not exist when its value
    is the one that ``matters`` to the finding."""
    found = []
    for item in graph.resources(kind):
        target = item.get("bucket")
        if isinstance(target, Unknown):
            found.append(Unknown(f"{item.name}: bucket unknown: {target.reason}"))
        elif target is not None and find_store(graph, target, ("s3_bucket",)) is bucket:
            value, exists = item.get(attribute), existence(item)
            found.append(exists if value is matters and exists is not True else value)
    return found
