package io.retailstack.deploy.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.retailstack.deploy.SharedSecrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing, pinning, secrets and TLS rules every change to terraform/ must keep. */
class TerraformHygieneTest {

    /** Attributes and names that hold credentials. */
    private static final Pattern SECRET_REFERENCE = Pattern.compile(
            "(?i)(\\.\\w*(password|primary_key|secondary_key"
                    + "|access_key|connection_string|sas_key|client_secret|kube_config|kube_admin_config|client_key"
                    + "|client_certificate)\\w*|\\brandom_password\\.|\\bazurerm_key_vault_secret\\.\\w+(\\[[^\\]]*\\])?\\.value\\b)");

    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i)(password|secret|token|connection_string|access_key" + "|primary_key|private_key|credential)");

    private static final Pattern LOCAL_REFERENCE = Pattern.compile("local\\.(\\w+)");

    private final TerraformConfig terraform = TerraformConfig.repository();

    @Test
    void everyTerraformFileParses() {
        List<String> files = TerraformConfig.tfFiles(TerraformConfig.terraformDir());
        assertThat(files)
                .contains(
                        "versions.tf",
                        "variables.tf",
                        "outputs.tf",
                        "main.tf",
                        "aks.tf",
                        "eventhubs.tf",
                        "cosmos.tf",
                        "postgres.tf",
                        "redis.tf",
                        "registry.tf",
                        "keyvault.tf",
                        "identity.tf");
        assertThat(terraform.fileNames()).containsExactlyElementsOf(files);
        for (String file : files) {
            assertThat(terraform.files().get(file).size())
                    .as("%s has content", file)
                    .isPositive();
        }
    }

    @Test
    void aFileThatDoesNotParseFailsTheRun(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("ok.tf"), "variable \"a\" {\n  type = string\n}\n");
        Files.writeString(dir.resolve("broken.tf"), "resource \"azurerm_resource_group\" \"x\" {\n  name = \"a\"\n");
        assertThatThrownBy(() -> TerraformConfig.parse(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("broken.tf");
    }

    @Test
    void providersArePinnedToAzurerm4AndRandom() {
        List<JsonNode> blocks = terraform.terraformBlocks();
        assertThat(blocks).hasSize(1);
        JsonNode providers = TerraformConfig.block(blocks.get(0), "required_providers");
        JsonNode azurerm = providers.path("azurerm");
        JsonNode random = providers.path("random");
        assertThat(azurerm.path("source").asText()).isEqualTo("hashicorp/azurerm");
        assertThat(azurerm.path("version").asText()).contains(">= 4.").contains("< 5.");
        assertThat(random.path("source").asText()).isEqualTo("hashicorp/random");
        assertThat(random.path("version").asText()).isNotBlank();
        assertThat(TerraformConfig.text(blocks.get(0).path("required_version"))).startsWith(">=");
    }

    @Test
    void sensitiveVariablesHaveNoDefaultAndSecretLikeVariablesAreSensitive() {
        assertThat(variableProblems(terraform.variables())).isEmpty();
    }

    @Test
    void theVariableCheckCatchesADefaultedSecret() {
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> variables = new LinkedHashMap<>();
        variables.put(
                "db_password", json.createObjectNode().put("type", "${string}").put("default", "hunter2"));
        variables.put(
                "api_token", json.createObjectNode().put("sensitive", true).put("default", "x"));
        variables.put("ok_token", json.createObjectNode().put("sensitive", true));
        assertThat(variableProblems(variables))
                .containsExactlyInAnyOrder(
                        "variable db_password looks like a secret but is not sensitive",
                        "variable db_password is sensitive or secret-like and has a default",
                        "variable api_token is sensitive or secret-like and has a default");
    }

    @Test
    void outputsThatCarrySecretsAreSensitive() {
        assertThat(outputProblems(terraform.outputs(), terraform.locals())).isEmpty();
        // Today no output carries a secret at all: they are in Key Vault only.
        assertThat(terraform.outputs().values())
                .noneMatch(output -> output.path("sensitive").asBoolean(false));
    }

    @Test
    void theOutputCheckCatchesAnUnmarkedSecret() {
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> outputs = new LinkedHashMap<>();
        outputs.put("pg", json.createObjectNode().put("value", "${random_password.postgres_admin.result}"));
        outputs.put("via_local", json.createObjectNode().put("value", "${local.values}"));
        outputs.put(
                "marked",
                json.createObjectNode()
                        .put("value", "${azurerm_redis_cache.this.primary_access_key}")
                        .put("sensitive", true));
        outputs.put("host", json.createObjectNode().put("value", "${azurerm_redis_cache.this.hostname}"));
        Map<String, JsonNode> locals = Map.of(
                "values",
                json.createObjectNode()
                        .put("cs", "${azurerm_eventhub_namespace_authorization_rule.x.primary_connection_string}"));
        assertThat(outputProblems(outputs, locals))
                .containsExactlyInAnyOrder(
                        "output pg refers to a secret but is not sensitive",
                        "output via_local refers to a secret but is not sensitive");
    }

    @Test
    void theTfvarsExampleHoldsNoSecrets(@TempDir Path dir) throws IOException {
        // A .tfvars file is an HCL body of attributes: parse it as one.
        Files.copy(TerraformConfig.terraformDir().resolve("terraform.tfvars.example"), dir.resolve("example.tf"));
        JsonNode example = TerraformConfig.parse(dir).files().get("example.tf");
        List<String> assigned = TerraformConfig.fieldNames(example);
        assertThat(assigned)
                .isNotEmpty()
                .noneMatch(name -> SECRET_NAME.matcher(name).find());
        assertThat(terraform.variables().keySet()).containsAll(assigned);
        for (String name : assigned) {
            assertThat(terraform.variables().get(name).path("sensitive").asBoolean(false))
                    .as("%s is sensitive but set in the example", name)
                    .isFalse();
        }
    }

    @Test
    void redisIsTlsOnly() {
        JsonNode redis = terraform.resource("azurerm_redis_cache", "this");
        assertThat(redis.path("non_ssl_port_enabled").isBoolean()).isTrue();
        assertThat(redis.path("non_ssl_port_enabled").asBoolean()).isFalse();
        assertThat(TerraformConfig.text(redis.path("minimum_tls_version"))).isEqualTo("1.2");
        assertThat(TerraformConfig.text(terraform.outputs().get("redis_hosts").path("value")))
                .isEqualTo("${azurerm_redis_cache.this.hostname}:${azurerm_redis_cache.this.ssl_port}");
    }

    @Test
    void aksPullsFromTheRegistryWithItsKubeletIdentityAndNoAdminUser() {
        JsonNode registry = terraform.resource("azurerm_container_registry", "this");
        assertThat(registry.path("admin_enabled").asBoolean(true)).isFalse();
        JsonNode pull = terraform.resource("azurerm_role_assignment", "aks_pulls_images");
        assertThat(TerraformConfig.text(pull.path("role_definition_name"))).isEqualTo("AcrPull");
        assertThat(TerraformConfig.text(pull.path("scope"))).isEqualTo("${azurerm_container_registry.this.id}");
        assertThat(TerraformConfig.text(pull.path("principal_id")))
                .isEqualTo("${azurerm_kubernetes_cluster.this.kubelet_identity[0].object_id}");
        assertThat(TerraformConfig.text(
                        terraform.outputs().get("acr_login_server").path("value")))
                .isEqualTo("${azurerm_container_registry.this.login_server}");
    }

    @Test
    void theOtherDataServicesRequireTls12() {
        assertThat(TerraformConfig.text(
                        terraform.resource("azurerm_eventhub_namespace", "this").path("minimum_tls_version")))
                .isEqualTo("1.2");
        assertThat(TerraformConfig.text(
                        terraform.resource("azurerm_cosmosdb_account", "this").path("minimal_tls_version")))
                .isEqualTo("Tls12");
        JsonNode secureTransport =
                terraform.resource("azurerm_postgresql_flexible_server_configuration", "require_secure_transport");
        assertThat(TerraformConfig.text(secureTransport.path("name"))).isEqualTo("require_secure_transport");
        assertThat(TerraformConfig.text(secureTransport.path("value"))).isEqualTo("on");
        assertThat(TerraformConfig.text(terraform.local("postgres_jdbc_url"))).endsWith("?sslmode=require");
    }

    @Test
    void keyVaultSecretNamesAreTheDocumentedSet() throws IOException {
        JsonNode names = terraform.local("key_vault_secret_names");
        Set<String> declared = new HashSet<>();
        names.forEach(name -> declared.add(name.asText()));
        assertThat(declared).containsExactlyInAnyOrderElementsOf(SharedSecrets.NAMES);
        assertThat(declared).allMatch(name -> name.matches("[a-z0-9]+(-[a-z0-9]+)*"));
        // Every name has its value, the secrets are created from this map, and the output publishes it.
        assertThat(TerraformConfig.fieldNames(terraform.local("key_vault_secret_values")))
                .containsExactlyInAnyOrderElementsOf(TerraformConfig.fieldNames(names));
        JsonNode secret = terraform.resource("azurerm_key_vault_secret", "this");
        assertThat(TerraformConfig.text(secret.path("for_each"))).isEqualTo("${local.key_vault_secret_names}");
        assertThat(TerraformConfig.text(secret.path("name"))).isEqualTo("${each.value}");
        assertThat(terraform.resources("azurerm_key_vault_secret")).hasSize(1);
        assertThat(TerraformConfig.text(
                        terraform.outputs().get("key_vault_secret_names").path("value")))
                .isEqualTo("${local.key_vault_secret_names}");
        // The vault authorizes with Azure RBAC.
        assertThat(terraform
                        .resource("azurerm_key_vault", "this")
                        .path("rbac_authorization_enabled")
                        .asBoolean())
                .isTrue();
        // terraform/README.md documents every name.
        String readme = Files.readString(TerraformConfig.terraformDir().resolve("README.md"), StandardCharsets.UTF_8);
        assertThat(SharedSecrets.NAMES).allMatch(name -> readme.contains("`" + name + "`"));
    }

    @Test
    void theCosmosKeyspaceIsTheServicesDefaultKeyspace() {
        String writer = new ServiceSetting(
                        "event-writer",
                        "event-writer.cassandra.keyspace",
                        "io/retailstack/writer/config/WriterConfig.java",
                        "keyspace")
                .productionValue();
        String cache = new ServiceSetting(
                        "cache-service",
                        "cache.cassandra.keyspace",
                        "io/retailstack/cache/config/CacheConfig.java",
                        "keyspace")
                .productionValue();
        String enricher = new ServiceSetting(
                        "batch-enricher",
                        "enricher.cassandra.keyspace",
                        "io/retailstack/enricher/config/EnricherConfig.java",
                        "keyspace")
                .productionValue();
        assertThat(List.of(writer, cache, enricher)).containsOnly("retail");
        assertThat(TerraformConfig.text(terraform
                        .resource("azurerm_cosmosdb_cassandra_keyspace", "retail")
                        .path("name")))
                .isEqualTo("retail");
        JsonNode account = terraform.resource("azurerm_cosmosdb_account", "this");
        assertThat(TerraformConfig.text(
                        TerraformConfig.block(account, "capabilities").path("name")))
                .isEqualTo("EnableCassandra");
    }

    static List<String> variableProblems(Map<String, JsonNode> variables) {
        List<String> problems = new ArrayList<>();
        variables.forEach((name, variable) -> {
            boolean sensitive = variable.path("sensitive").asBoolean(false);
            boolean secretLike = SECRET_NAME.matcher(name).find();
            if (secretLike && !sensitive) {
                problems.add("variable " + name + " looks like a secret but is not sensitive");
            }
            if ((sensitive || secretLike) && variable.has("default")) {
                problems.add("variable " + name + " is sensitive or secret-like and has a default");
            }
        });
        return problems;
    }

    static List<String> outputProblems(Map<String, JsonNode> outputs, Map<String, JsonNode> locals) {
        List<String> problems = new ArrayList<>();
        outputs.forEach((name, output) -> {
            String expression = expandLocals(TerraformConfig.text(output.path("value")), locals, new HashSet<>());
            if (SECRET_REFERENCE.matcher(expression).find()
                    && !output.path("sensitive").asBoolean(false)) {
                problems.add("output " + name + " refers to a secret but is not sensitive");
            }
        });
        return problems;
    }

    /** The expression with the text of every local it (transitively) refers to appended. */
    private static String expandLocals(String expression, Map<String, JsonNode> locals, Set<String> seen) {
        StringBuilder expanded = new StringBuilder(expression);
        Matcher reference = LOCAL_REFERENCE.matcher(expression);
        while (reference.find()) {
            String name = reference.group(1);
            if (seen.add(name) && locals.containsKey(name)) {
                expanded.append(' ').append(expandLocals(TerraformConfig.text(locals.get(name)), locals, seen));
            }
        }
        return expanded.toString();
    }
}
