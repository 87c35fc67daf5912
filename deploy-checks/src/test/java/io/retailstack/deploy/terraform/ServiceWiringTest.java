package io.retailstack.deploy.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.retailstack.deploy.SharedSecrets;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * How the services reach what Terraform creates: AKS with workload identity and the Key Vault CSI add-on, one managed
 * identity per service account, each allowed to read only its own service's secrets, and the PostgreSQL database
 * batch-enricher connects to.
 */
class ServiceWiringTest {

    private static final List<String> SERVICES =
            List.of("ingest-service", "event-writer", "batch-enricher", "cache-service");

    /** Which secrets each service needs, from its production configuration (see terraform/README.md). */
    private static final Map<String, Set<String>> SECRETS_BY_SERVICE = Map.of(
            "ingest-service", Set.of("eventhubs-ingest-connection-string"),
            "event-writer", Set.of("eventhubs-writer-connection-string", "cosmos-cassandra-password"),
            "batch-enricher", Set.of("cosmos-cassandra-password", "postgres-password"),
            "cache-service",
                    Set.of("eventhubs-cache-connection-string", "cosmos-cassandra-password", "redis-password"));

    private final TerraformConfig terraform = TerraformConfig.repository();

    @Test
    void aksHasOidcIssuerWorkloadIdentityAndTheKeyVaultCsiAddOn() {
        JsonNode aks = terraform.resource("azurerm_kubernetes_cluster", "this");
        assertThat(aks.path("oidc_issuer_enabled").asBoolean()).isTrue();
        assertThat(aks.path("workload_identity_enabled").asBoolean()).isTrue();
        JsonNode csi = TerraformConfig.block(aks, "key_vault_secrets_provider");
        assertThat(csi.isMissingNode()).as("key_vault_secrets_provider block").isFalse();
        assertThat(csi.path("secret_rotation_enabled").asBoolean()).isTrue();
        // the chart's Azure example needs KEDA (event-writer.keda) and the app routing ingress class
        assertThat(TerraformConfig.block(aks, "workload_autoscaler_profile")
                        .path("keda_enabled")
                        .asBoolean())
                .isTrue();
        assertThat(TerraformConfig.block(aks, "web_app_routing").isMissingNode())
                .as("web_app_routing block")
                .isFalse();
        JsonNode pool = TerraformConfig.block(aks, "default_node_pool");
        assertThat(TerraformConfig.text(pool.path("vm_size"))).startsWith("${var.");
        assertThat(TerraformConfig.text(pool.path("min_count"))).startsWith("${var.");
        assertThat(TerraformConfig.text(pool.path("max_count"))).startsWith("${var.");
    }

    @Test
    void eachServiceAccountHasItsOwnFederatedIdentity() {
        List<String> services = new ArrayList<>();
        terraform.local("services").forEach(s -> services.add(s.asText()));
        assertThat(services).containsExactlyInAnyOrderElementsOf(SERVICES);

        JsonNode identity = terraform.resource("azurerm_user_assigned_identity", "service");
        assertThat(TerraformConfig.text(identity.path("for_each"))).isEqualTo("${toset(local.services)}");
        JsonNode credential = terraform.resource("azurerm_federated_identity_credential", "service");
        assertThat(TerraformConfig.text(credential.path("for_each"))).isEqualTo("${toset(local.services)}");
        assertThat(TerraformConfig.text(credential.path("subject")))
                .isEqualTo("system:serviceaccount:${var.kubernetes_namespace}:${each.key}");
        assertThat(TerraformConfig.text(credential.path("issuer")))
                .isEqualTo("${azurerm_kubernetes_cluster.this.oidc_issuer_url}");
        assertThat(TerraformConfig.text(credential.path("audience"))).contains("api://AzureADTokenExchange");
        assertThat(TerraformConfig.text(credential.path("parent_id")))
                .isEqualTo("${azurerm_user_assigned_identity.service[each.key].id}");
        assertThat(TerraformConfig.text(
                        terraform.variables().get("kubernetes_namespace").path("default")))
                .isEqualTo("retail");
        assertThat(TerraformConfig.text(
                        terraform.outputs().get("workload_identity_client_ids").path("value")))
                .contains("azurerm_user_assigned_identity.service")
                .contains("client_id");
    }

    @Test
    void eachServiceMayReadOnlyTheSecretsItNeeds() {
        JsonNode names = terraform.local("key_vault_secret_names");
        Map<String, Set<String>> granted = new LinkedHashMap<>();
        terraform.local("service_secret_keys").fields().forEachRemaining(e -> {
            Set<String> secrets = new HashSet<>();
            e.getValue().forEach(key -> {
                assertThat(names.has(key.asText()))
                        .as("secret key %s", key.asText())
                        .isTrue();
                secrets.add(names.path(key.asText()).asText());
            });
            granted.put(e.getKey(), secrets);
        });
        assertThat(granted).containsExactlyInAnyOrderEntriesOf(SECRETS_BY_SERVICE);
        // Every secret is read by some service.
        Set<String> used = new HashSet<>();
        granted.values().forEach(used::addAll);
        assertThat(used).containsExactlyInAnyOrderElementsOf(SharedSecrets.NAMES);

        // The grant is Key Vault Secrets User on the secret itself, for the service's own identity.
        JsonNode grant = terraform.resource("azurerm_role_assignment", "service_secrets");
        assertThat(TerraformConfig.text(grant.path("for_each"))).isEqualTo("${local.service_secret_grants}");
        assertThat(TerraformConfig.text(grant.path("role_definition_name"))).isEqualTo("Key Vault Secrets User");
        assertThat(TerraformConfig.text(grant.path("scope")))
                .isEqualTo("${azurerm_key_vault_secret.this[each.value.secret].resource_versionless_id}");
        assertThat(TerraformConfig.text(grant.path("principal_id")))
                .isEqualTo("${azurerm_user_assigned_identity.service[each.value.service].principal_id}");
        // No service identity gets a vault-wide role.
        terraform.resources("azurerm_role_assignment").forEach((label, assignment) -> {
            if (TerraformConfig.text(assignment.path("scope")).equals("${azurerm_key_vault.this.id}")) {
                assertThat(TerraformConfig.text(assignment.path("principal_id")))
                        .as("vault-wide role %s", label)
                        .doesNotContain("azurerm_user_assigned_identity.service");
            }
        });
    }

    @Test
    void thePostgresDatabaseIsTheOneBatchEnricherConnectsTo() {
        String jdbcUrl =
                new ServiceSetting("batch-enricher", "quarkus.datasource.jdbc.url", null, null).productionValue();
        assertThat(jdbcUrl).startsWith("jdbc:postgresql://");
        String database =
                URI.create(jdbcUrl.substring("jdbc:".length())).getPath().substring(1);
        assertThat(database).isEqualTo("retail");
        assertThat(TerraformConfig.text(terraform.local("postgres_database"))).isEqualTo(database);
        JsonNode db = terraform.resource("azurerm_postgresql_flexible_server_database", "retail");
        assertThat(TerraformConfig.text(db.path("name"))).isEqualTo("${local.postgres_database}");
        assertThat(TerraformConfig.text(terraform.local("postgres_jdbc_url")))
                .isEqualTo("jdbc:postgresql://${azurerm_postgresql_flexible_server.this.fqdn}:5432/"
                        + "${local.postgres_database}?sslmode=require");

        JsonNode server = terraform.resource("azurerm_postgresql_flexible_server", "this");
        assertThat(TerraformConfig.text(server.path("administrator_password")))
                .isEqualTo("${random_password.postgres_admin.result}");
        assertThat(TerraformConfig.text(
                        terraform.variables().get("postgres_version").path("default")))
                .isIn("16", "17");
    }
}
