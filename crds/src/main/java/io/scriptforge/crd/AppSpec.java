package io.scriptforge.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.util.Map;

/** An App's manifest; the fields keep config.json's names and shapes, so a config.json converts by indentation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = JsonDeserializer.None.class)
@ValidationRule(
        value = "!(has(self.files) && has(self.httpfilesConfigMap))",
        message =
                "give the app's files either inline (spec.files) or as an httpfiles.zip (spec.httpfilesConfigMap), not both")
public class AppSpec implements KubernetesResource {
    @Pattern("^[A-Za-z0-9]([-.A-Za-z0-9]*[A-Za-z0-9])?$")
    private String domain;

    private KeyReference passwordSecretRef;
    private InitList database;
    private InitList config;
    private InitList dbfiles;
    private JavascriptSpec javascript;
    private Map<String, String> files;
    private KeyReference httpfilesConfigMap;

    @PreserveUnknownFields
    private JsonNode apis;

    @PreserveUnknownFields
    private JsonNode serviceApis;

    @PreserveUnknownFields
    private JsonNode plugins;

    @Pattern(Names.DNS_LABEL)
    @Size(max = Names.MAX_POOL_NAME)
    private String pool;

    /** Sessions logged in from this domain get the owner mode. */
    public String getDomain() {
        return domain;
    }

    public void setDomain(String domain) {
        this.domain = domain;
    }
    /** The Secret key holding the app password that login digests are checked against. */
    public KeyReference getPasswordSecretRef() {
        return passwordSecretRef;
    }

    public void setPasswordSecretRef(KeyReference passwordSecretRef) {
        this.passwordSecretRef = passwordSecretRef;
    }
    /** Tables, columns, sequences and prepared statements (config.json "database"). */
    public InitList getDatabase() {
        return database;
    }

    public void setDatabase(InitList database) {
        this.database = database;
    }
    /** Config items and modes (config.json "config"). */
    public InitList getConfig() {
        return config;
    }

    public void setConfig(InitList config) {
        this.config = config;
    }
    /** Named file stores (config.json "dbfiles"). */
    public InitList getDbfiles() {
        return dbfiles;
    }

    public void setDbfiles(InitList dbfiles) {
        this.dbfiles = dbfiles;
    }
    /** The service files to run at start, in order (config.json "javascript"). */
    public JavascriptSpec getJavascript() {
        return javascript;
    }

    public void setJavascript(JavascriptSpec javascript) {
        this.javascript = javascript;
    }
    /** The app's files inline: path to content. */
    public Map<String, String> getFiles() {
        return files;
    }

    public void setFiles(Map<String, String> files) {
        this.files = files;
    }
    /** A ConfigMap key holding the app's files as httpfiles.zip. */
    public KeyReference getHttpfilesConfigMap() {
        return httpfilesConfigMap;
    }

    public void setHttpfilesConfigMap(KeyReference httpfilesConfigMap) {
        this.httpfilesConfigMap = httpfilesConfigMap;
    }
    /** APIs the app provides to others (config.json "apis"). */
    public JsonNode getApis() {
        return apis;
    }

    public void setApis(JsonNode apis) {
        this.apis = apis;
    }
    /** Service APIs the app uses (config.json "serviceApis"). */
    public JsonNode getServiceApis() {
        return serviceApis;
    }

    public void setServiceApis(JsonNode serviceApis) {
        this.serviceApis = serviceApis;
    }
    /** Plugins (config.json "plugins"). */
    public JsonNode getPlugins() {
        return plugins;
    }

    public void setPlugins(JsonNode plugins) {
        this.plugins = plugins;
    }
    /** The RunnerPool of this namespace that serves the app; empty means "default". */
    public String getPool() {
        return pool;
    }

    public void setPool(String pool) {
        this.pool = pool;
    }
}
