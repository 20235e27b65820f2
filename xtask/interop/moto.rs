//! Scenarios of clients generated from real AWS models (`cargo xtask moto`), against moto's
//! server at `MOTO_ENDPOINT`: one or more services per protocol, each a round trip that a
//! user of the service would make. Where moto differs from AWS, the test says so.

use ivschat_runtime::config::ConfigBuilder;
use ivschat_runtime::credentials::Credentials;
use ivschat_runtime::StreamExt;

/// The moto server the xtask started.
fn endpoint() -> String {
    std::env::var("MOTO_ENDPOINT").expect("cargo xtask moto sets MOTO_ENDPOINT")
}

/// A configuration for moto: its endpoint, a region and moto's test keys.
fn config() -> ConfigBuilder {
    ConfigBuilder::default()
        .region("us-east-1")
        .endpoint_url(endpoint())
        .credentials(Credentials::new("testing", "testing", None, None))
}

mod s3 {
    use super::*;
    use moto_s3::primitives::ByteStream;
    use moto_s3::types::{CompletedMultipartUpload, CompletedPart, Delete, ObjectIdentifier};
    use moto_s3::Client;

    fn client() -> Client {
        Client::from_builder(super::config()).expect("the configuration resolves")
    }

    /// Keys that URI labels must escape: a space, `+`, `?`, `#`, `%`, non-ASCII and slashes.
    const AWKWARD_KEYS: [&str; 7] = [
        "plain.txt",
        "with space.txt",
        "plus+sign.txt",
        "question?mark.txt",
        "hash#and%percent.txt",
        "dossier/ünïcødé/ключ.txt",
        "a/b/../c.txt",
    ];

    async fn create_bucket(client: &Client, bucket: &str) {
        client
            .create_bucket()
            .bucket(bucket)
            .send()
            .await
            .unwrap_or_else(|error| panic!("CreateBucket {bucket}: {error}"));
    }

    /// Puts `body` at `key`.
    async fn put(client: &Client, bucket: &str, key: &str, body: Vec<u8>) {
        client
            .put_object()
            .bucket(bucket)
            .key(key)
            .body(ByteStream::new(body))
            .send()
            .await
            .unwrap_or_else(|error| panic!("PutObject {key:?}: {error}"));
    }

    /// The bytes at `key`.
    async fn read(client: &Client, bucket: &str, key: &str) -> ivschat_runtime::bytes::Bytes {
        let mut got = client
            .get_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
            .unwrap_or_else(|error| panic!("GetObject {key:?}: {error}"));
        got.take_body().collect().await.expect("the body")
    }

    /// Deletes every object of the bucket, then the bucket.
    async fn remove_bucket(client: &Client, bucket: &str) {
        let listed = client
            .list_objects_v2()
            .bucket(bucket)
            .send()
            .await
            .expect("ListObjectsV2");
        let keys: Vec<ObjectIdentifier> = listed
            .contents()
            .unwrap_or_default()
            .iter()
            .filter_map(|object| object.key())
            .map(|key| ObjectIdentifier::builder().key(key).build().expect("a key"))
            .collect();
        if !keys.is_empty() {
            let delete = Delete::builder()
                .set_objects(Some(keys))
                .build()
                .expect("objects");
            let deleted = client
                .delete_objects()
                .bucket(bucket)
                .delete(delete)
                .send()
                .await
                .expect("DeleteObjects (it requires a Content-MD5 or checksum)");
            assert!(deleted.errors().unwrap_or_default().is_empty());
        }
        client
            .delete_bucket()
            .bucket(bucket)
            .send()
            .await
            .expect("DeleteBucket");
    }

    #[tokio::test]
    async fn objects_with_awkward_keys_round_trip() {
        let client = client();
        let bucket = "ivschat-rs-keys";
        create_bucket(&client, bucket).await;
        let buckets = client.list_buckets().send().await.expect("ListBuckets");
        assert!(buckets
            .buckets()
            .unwrap_or_default()
            .iter()
            .any(|listed| listed.name() == Some(bucket)));
        client
            .head_bucket()
            .bucket(bucket)
            .send()
            .await
            .expect("HeadBucket");
        for key in AWKWARD_KEYS {
            let body = format!("the object {key}");
            client
                .put_object()
                .bucket(bucket)
                .key(key)
                .content_type("text/plain")
                .body(ByteStream::new(body.clone().into_bytes()))
                .send()
                .await
                .unwrap_or_else(|error| panic!("PutObject {key:?}: {error}"));
            let head = client
                .head_object()
                .bucket(bucket)
                .key(key)
                .send()
                .await
                .unwrap_or_else(|error| panic!("HeadObject {key:?}: {error}"));
            assert_eq!(head.content_length(), Some(body.len() as i64), "{key:?}");
            let mut got = client
                .get_object()
                .bucket(bucket)
                .key(key)
                .send()
                .await
                .unwrap_or_else(|error| panic!("GetObject {key:?}: {error}"));
            assert_eq!(got.content_type(), Some("text/plain"));
            let bytes = got.take_body().collect().await.expect("the body");
            assert_eq!(bytes, body.as_bytes(), "{key:?}");
        }
        let listed = client
            .list_objects_v2()
            .bucket(bucket)
            .send()
            .await
            .expect("ListObjectsV2");
        let mut keys: Vec<&str> = listed
            .contents()
            .unwrap_or_default()
            .iter()
            .filter_map(|object| object.key())
            .collect();
        keys.sort_unstable();
        let mut expected = AWKWARD_KEYS.to_vec();
        expected.sort_unstable();
        assert_eq!(keys, expected);
        remove_bucket(&client, bucket).await;
    }

    #[tokio::test]
    async fn a_missing_object_is_the_typed_no_such_key_error() {
        let client = client();
        let bucket = "ivschat-rs-missing";
        create_bucket(&client, bucket).await;
        let error = client
            .get_object()
            .bucket(bucket)
            .key("nothing here")
            .send()
            .await
            .expect_err("no such key");
        assert!(
            matches!(error, moto_s3::operation::get_object::GetObjectError::NoSuchKey(_)),
            "{error:?}"
        );
        remove_bucket(&client, bucket).await;
    }

    #[tokio::test]
    async fn list_objects_v2_pages_follow_the_continuation_token() {
        let client = client();
        let bucket = "ivschat-rs-pages";
        create_bucket(&client, bucket).await;
        for index in 0..7 {
            client
                .put_object()
                .bucket(bucket)
                .key(format!("page/{index}"))
                .body(ByteStream::new(vec![b'x'; index]))
                .send()
                .await
                .expect("PutObject");
        }
        let pages: Vec<_> = client
            .list_objects_v2()
            .bucket(bucket)
            .max_keys(3)
            .into_paginator()
            .send()
            .collect()
            .await;
        let sizes: Vec<usize> = pages
            .iter()
            .map(|page| page.as_ref().expect("a page").contents().unwrap_or_default().len())
            .collect();
        assert_eq!(sizes, [3, 3, 1]);
        remove_bucket(&client, bucket).await;
    }

    #[tokio::test]
    async fn a_multipart_upload_joins_its_parts() {
        let client = client();
        let bucket = "ivschat-rs-multipart";
        let key = "big object.bin";
        create_bucket(&client, bucket).await;
        let upload = client
            .create_multipart_upload()
            .bucket(bucket)
            .key(key)
            .send()
            .await
            .expect("CreateMultipartUpload");
        let upload_id = upload.upload_id().expect("an upload id").to_owned();
        // Every part but the last holds at least 5 MiB, as S3 (and moto) require.
        let parts = [vec![b'a'; 5 * 1024 * 1024], b"the end".to_vec()];
        let mut completed = Vec::new();
        for (index, part) in parts.iter().enumerate() {
            let number = index as i32 + 1;
            let sent = client
                .upload_part()
                .bucket(bucket)
                .key(key)
                .upload_id(&upload_id)
                .part_number(number)
                .body(ByteStream::new(part.clone()))
                .send()
                .await
                .unwrap_or_else(|error| panic!("UploadPart {number}: {error}"));
            completed.push(
                CompletedPart::builder()
                    .part_number(number)
                    .e_tag(sent.e_tag().expect("an ETag"))
                    .build(),
            );
        }
        client
            .complete_multipart_upload()
            .bucket(bucket)
            .key(key)
            .upload_id(&upload_id)
            .multipart_upload(
                CompletedMultipartUpload::builder()
                    .set_parts(Some(completed))
                    .build(),
            )
            .send()
            .await
            .expect("CompleteMultipartUpload");
        let bytes = read(&client, bucket, key).await;
        assert_eq!(bytes.len(), parts[0].len() + parts[1].len());
        assert!(bytes.ends_with(b"the end"));
        remove_bucket(&client, bucket).await;
    }

    #[tokio::test]
    async fn copy_object_copies_within_the_bucket() {
        let client = client();
        let bucket = "ivschat-rs-copy";
        create_bucket(&client, bucket).await;
        put(&client, bucket, "original", b"copied bytes".to_vec()).await;
        client
            .copy_object()
            .bucket(bucket)
            .key("copy")
            .copy_source(format!("{bucket}/original"))
            .send()
            .await
            .expect("CopyObject");
        let bytes = read(&client, bucket, "copy").await;
        assert_eq!(bytes, &b"copied bytes"[..]);
        remove_bucket(&client, bucket).await;
    }

    #[tokio::test]
    async fn expires_is_read_as_a_date_and_as_the_text_sent() {
        let client = client();
        let bucket = "ivschat-rs-expires";
        create_bucket(&client, bucket).await;
        let expires = moto_s3::primitives::DateTime::from_secs(1_900_000_000);
        client
            .put_object()
            .bucket(bucket)
            .key("k")
            .expires(expires)
            .body(ByteStream::new(b"v".to_vec()))
            .send()
            .await
            .expect("PutObject");
        let head = client
            .head_object()
            .bucket(bucket)
            .key("k")
            .send()
            .await
            .expect("HeadObject");
        assert_eq!(head.expires(), Some(expires));
        assert_eq!(head.expires_string(), Some("Sun, 17 Mar 2030 17:46:40 GMT"));
        remove_bucket(&client, bucket).await;
    }

    #[tokio::test]
    async fn checksums_are_sent_stored_and_validated_or_left_off_when_required_only() {
        use ivschat_runtime::checksum::ChecksumWhen;
        use moto_s3::types::{ChecksumAlgorithm, ChecksumMode};
        let client = client();
        let bucket = "ivschat-rs-checksums";
        create_bucket(&client, bucket).await;
        client
            .put_object()
            .bucket(bucket)
            .key("sha256")
            .checksum_algorithm(ChecksumAlgorithm::Sha256)
            .body(ByteStream::new(b"checked bytes".to_vec()))
            .send()
            .await
            .expect("PutObject with SHA-256");
        let mut got = client
            .get_object()
            .bucket(bucket)
            .key("sha256")
            .checksum_mode(ChecksumMode::Enabled)
            .send()
            .await
            .expect("GetObject with checksum validation");
        // SHA-256 of "checked bytes", base64.
        assert_eq!(
            got.checksum_sha256(),
            Some("wkB1kAjlkhAHKBKSjYvskHS7sMKAFemJI0eLiAJJS2U=")
        );
        let bytes = got.take_body().collect().await.expect("the validated body");
        assert_eq!(bytes, &b"checked bytes"[..]);
        let by_default = client
            .put_object()
            .bucket(bucket)
            .key("default")
            .body(ByteStream::new(b"x".to_vec()))
            .send()
            .await
            .expect("PutObject");
        assert!(by_default.checksum_crc32().is_some(), "when_supported sends CRC32");
        let required_only = Client::from_builder(
            super::config().request_checksum_calculation(ChecksumWhen::WhenRequired),
        )
        .expect("the configuration resolves");
        let unchecked = required_only
            .put_object()
            .bucket(bucket)
            .key("unchecked")
            .body(ByteStream::new(b"x".to_vec()))
            .send()
            .await
            .expect("PutObject without a checksum");
        assert_eq!(unchecked.checksum_crc32(), None, "when_required sends none");
        remove_bucket(&client, bucket).await;
    }

    #[tokio::test]
    async fn a_presigned_get_is_fetched_by_a_plain_http_client() {
        use ivschat_runtime::operation::PresigningConfig;
        use ivschat_runtime::transport::{HttpClient, HyperClient};
        let client = client();
        let bucket = "ivschat-rs-presigned";
        let key = "shared file ü.txt";
        create_bucket(&client, bucket).await;
        put(&client, bucket, key, b"shared by URL".to_vec()).await;
        let config = PresigningConfig::expires_in(std::time::Duration::from_secs(300))
            .expect("a valid duration");
        let presigned = client
            .get_object()
            .bucket(bucket)
            .key(key)
            .presigned(config)
            .await
            .expect("a presigned GetObject");
        assert_eq!(presigned.method(), "GET");
        assert!(presigned.uri().contains("X-Amz-Signature="), "{}", presigned.uri());
        let request = ivschat_runtime::http::Request::get(presigned.uri())
            .body(ivschat_runtime::bytes::Bytes::new())
            .expect("a request");
        let answer = HyperClient::default().send(request).await.expect("moto answers");
        assert_eq!(answer.status(), 200, "{:?}", answer.body());
        assert_eq!(answer.body(), &b"shared by URL"[..]);
        remove_bucket(&client, bucket).await;
    }

    #[tokio::test]
    async fn forced_path_style_reaches_the_same_buckets() {
        let client = Client::from_builder(super::config().force_path_style(true))
            .expect("the configuration resolves");
        let bucket = "ivschat-rs-path-style";
        create_bucket(&client, bucket).await;
        put(&client, bucket, "k", b"v".to_vec()).await;
        client
            .delete_object()
            .bucket(bucket)
            .key("k")
            .send()
            .await
            .expect("DeleteObject");
        remove_bucket(&client, bucket).await;
    }
}

mod route53 {
    use moto_route53::types::{
        Change, ChangeAction, ChangeBatch, ResourceRecord, ResourceRecordSet, RrType,
    };
    use moto_route53::Client;

    #[tokio::test]
    async fn ids_from_answers_are_passed_back_with_their_prefix() {
        let client = Client::from_builder(super::config()).expect("the configuration resolves");
        let created = client
            .create_hosted_zone()
            .name("ivschat-rs.example.")
            .caller_reference("ivschat-rs-1")
            .send()
            .await
            .expect("CreateHostedZone");
        let zone = created.hosted_zone();
        // The answer's id carries the `/hostedzone/` prefix the request's label refuses.
        let id = zone.id().to_owned();
        assert!(id.starts_with("/hostedzone/"), "{id}");
        let got = client
            .get_hosted_zone()
            .id(&id)
            .send()
            .await
            .expect("GetHostedZone with the prefixed id");
        assert_eq!(got.hosted_zone().name(), "ivschat-rs.example.");
        let record = ResourceRecordSet::builder()
            .name("www.ivschat-rs.example.")
            .r#type(RrType::A)
            .ttl(60)
            .resource_records(ResourceRecord::builder().value("192.0.2.1").build().expect("a value"))
            .build()
            .expect("a record set");
        let change = |action: ChangeAction| {
            let change = Change::builder()
                .action(action)
                .resource_record_set(record.clone())
                .build()
                .expect("a change");
            ChangeBatch::builder().changes(change).build().expect("a batch")
        };
        let changed = client
            .change_resource_record_sets()
            .hosted_zone_id(&id)
            .change_batch(change(ChangeAction::Upsert))
            .send()
            .await
            .expect("ChangeResourceRecordSets");
        let change_id = changed.change_info().id().to_owned();
        client
            .get_change()
            .id(&change_id)
            .send()
            .await
            .expect("GetChange with the prefixed change id");
        let records = client
            .list_resource_record_sets()
            .hosted_zone_id(&id)
            .send()
            .await
            .expect("ListResourceRecordSets");
        assert!(records
            .resource_record_sets()
            .iter()
            .any(|set| set.name() == Some("www.ivschat-rs.example.") && set.r#type() == Some(&RrType::A)));
        let zones = client.list_hosted_zones().send().await.expect("ListHostedZones");
        assert!(zones.hosted_zones().iter().any(|listed| listed.id() == id));
        client
            .change_resource_record_sets()
            .hosted_zone_id(&id)
            .change_batch(change(ChangeAction::Delete))
            .send()
            .await
            .expect("ChangeResourceRecordSets (delete)");
        client
            .delete_hosted_zone()
            .id(&id)
            .send()
            .await
            .expect("DeleteHostedZone with the prefixed id");
    }
}

mod dynamodb {
    use moto_dynamodb::types::{
        AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType,
        ScalarAttributeType,
    };
    use moto_dynamodb::Client;

    #[tokio::test]
    async fn items_are_put_read_and_queried() {
        let client = Client::from_builder(super::config()).expect("the configuration resolves");
        let table = "ivschat-rs-messages";
        let key = |name: &str, key_type: KeyType| {
            KeySchemaElement::builder()
                .attribute_name(name)
                .key_type(key_type)
                .build()
                .expect("a key")
        };
        let attribute = |name: &str| {
            AttributeDefinition::builder()
                .attribute_name(name)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .expect("an attribute")
        };
        client
            .create_table()
            .table_name(table)
            .attribute_definitions(attribute("room"))
            .attribute_definitions(attribute("sent"))
            .key_schema(key("room", KeyType::Hash))
            .key_schema(key("sent", KeyType::Range))
            .billing_mode(BillingMode::PayPerRequest)
            .send()
            .await
            .expect("CreateTable");
        for (sent, text) in [("1", "hello"), ("2", "ünïcødé ✓"), ("3", "bye")] {
            client
                .put_item()
                .table_name(table)
                .item("room", AttributeValue::S("lobby".to_owned()))
                .item("sent", AttributeValue::S(sent.to_owned()))
                .item("text", AttributeValue::S(text.to_owned()))
                .send()
                .await
                .expect("PutItem");
        }
        let got = client
            .get_item()
            .table_name(table)
            .key("room", AttributeValue::S("lobby".to_owned()))
            .key("sent", AttributeValue::S("2".to_owned()))
            .send()
            .await
            .expect("GetItem");
        let item = got.item().expect("the item");
        assert_eq!(item.get("text"), Some(&AttributeValue::S("ünïcødé ✓".to_owned())));
        let queried = client
            .query()
            .table_name(table)
            .key_condition_expression("room = :room AND sent >= :from")
            .expression_attribute_values(":room", AttributeValue::S("lobby".to_owned()))
            .expression_attribute_values(":from", AttributeValue::S("2".to_owned()))
            .send()
            .await
            .expect("Query");
        assert_eq!(queried.count(), 2);
        client
            .delete_table()
            .table_name(table)
            .send()
            .await
            .expect("DeleteTable");
    }
}

mod sqs {
    use moto_sqs::Client;

    #[tokio::test]
    async fn a_message_is_sent_received_and_deleted() {
        let client = Client::from_builder(super::config()).expect("the configuration resolves");
        let queue = client
            .create_queue()
            .queue_name("ivschat-rs-queue")
            .send()
            .await
            .expect("CreateQueue");
        let url = queue.queue_url().expect("a queue URL").to_owned();
        client
            .send_message()
            .queue_url(&url)
            .message_body("a message & <markup> ✓")
            .send()
            .await
            .expect("SendMessage");
        let received = client
            .receive_message()
            .queue_url(&url)
            .max_number_of_messages(1)
            .send()
            .await
            .expect("ReceiveMessage");
        let message = &received.messages().expect("a message")[0];
        assert_eq!(message.body(), Some("a message & <markup> ✓"));
        client
            .delete_message()
            .queue_url(&url)
            .receipt_handle(message.receipt_handle().expect("a receipt handle"))
            .send()
            .await
            .expect("DeleteMessage");
        client
            .delete_queue()
            .queue_url(&url)
            .send()
            .await
            .expect("DeleteQueue");
    }
}

mod sns {
    use moto_sns::Client;

    #[tokio::test]
    async fn a_topic_is_created_listed_published_to_and_deleted() {
        let client = Client::from_builder(super::config()).expect("the configuration resolves");
        let created = client
            .create_topic()
            .name("ivschat-rs-topic")
            .send()
            .await
            .expect("CreateTopic");
        let arn = created.topic_arn().expect("an ARN").to_owned();
        let topics = client.list_topics().send().await.expect("ListTopics");
        assert!(topics
            .topics()
            .unwrap_or_default()
            .iter()
            .any(|topic| topic.topic_arn() == Some(arn.as_str())));
        let published = client
            .publish()
            .topic_arn(&arn)
            .message("form-encoded: a=b&c=d ✓")
            .send()
            .await
            .expect("Publish");
        assert!(published.message_id().is_some());
        client
            .delete_topic()
            .topic_arn(&arn)
            .send()
            .await
            .expect("DeleteTopic");
    }
}

mod sts {
    use moto_sts::Client;

    #[tokio::test]
    async fn the_caller_and_an_assumed_role_are_named() {
        let client = Client::from_builder(super::config()).expect("the configuration resolves");
        let identity = client
            .get_caller_identity()
            .send()
            .await
            .expect("GetCallerIdentity");
        // moto's default account.
        assert_eq!(identity.account(), Some("123456789012"));
        let assumed = client
            .assume_role()
            .role_arn("arn:aws:iam::123456789012:role/ivschat-rs")
            .role_session_name("interop")
            .send()
            .await
            .expect("AssumeRole");
        let credentials = assumed.credentials().expect("credentials");
        assert!(!credentials.access_key_id().is_empty());
        assert!(assumed
            .assumed_role_user()
            .expect("the assumed role user")
            .arn()
            .ends_with("assumed-role/ivschat-rs/interop"));
    }
}

mod glacier {
    use moto_glacier::Client;

    #[tokio::test]
    async fn a_vault_is_made_for_the_callers_account_without_naming_it() {
        let client = Client::from_builder(super::config()).expect("the configuration resolves");
        // No `.account_id(..)`: the Glacier customization sends `-`, the caller's account.
        client
            .create_vault()
            .vault_name("ivschat-rs-vault")
            .send()
            .await
            .expect("CreateVault");
        let described = client
            .describe_vault()
            .vault_name("ivschat-rs-vault")
            .send()
            .await
            .expect("DescribeVault");
        assert_eq!(described.vault_name(), Some("ivschat-rs-vault"));
        let listed = client.list_vaults().send().await.expect("ListVaults");
        assert!(listed
            .vault_list()
            .unwrap_or_default()
            .iter()
            .any(|vault| vault.vault_name() == Some("ivschat-rs-vault")));
        client
            .delete_vault()
            .vault_name("ivschat-rs-vault")
            .send()
            .await
            .expect("DeleteVault");
    }
}
