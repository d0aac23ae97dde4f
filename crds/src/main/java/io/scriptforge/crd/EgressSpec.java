package io.scriptforge.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.util.List;

/**
 * Where the pool's Scripts (their npm modules: axios, soap, stripe...) may send HTTP requests. Private,
 * loopback, link-local and cloud metadata addresses are refused unless {@code allowCidrs} names them;
 * public addresses are allowed unless {@code allowHosts} restricts the names.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = JsonDeserializer.None.class)
public class EgressSpec implements KubernetesResource {
    static final int MAX_ENTRIES = 256;
    static final String HOST_PATTERN = "^(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^[0-9A-Fa-f:.]+$";
    static final String CIDR_PATTERN = "^[0-9A-Fa-f:.]+(/[0-9]{1,3})?$";

    // Item patterns and bounds rather than CEL: the API server refuses CEL rules over unbounded lists of
    // unbounded strings (their estimated cost exceeds its budget), and a pattern needs no rule at all.
    @Size(max = MAX_ENTRIES)
    private List<@Size(max = 253) @Pattern(HOST_PATTERN) String> allowHosts;

    @Size(max = MAX_ENTRIES)
    private List<@Size(max = 43) @Pattern(CIDR_PATTERN) String> allowCidrs;

    /** Host names requests may go to: exact names, or {@code *.example.com} for its subdomains. Unset: any name. */
    public List<String> getAllowHosts() {
        return allowHosts;
    }

    public void setAllowHosts(List<String> allowHosts) {
        this.allowHosts = allowHosts;
    }
    /** Address ranges allowed even though private (a database in the cluster, a partner's VPN): {@code 10.1.0.0/16}. */
    public List<String> getAllowCidrs() {
        return allowCidrs;
    }

    public void setAllowCidrs(List<String> allowCidrs) {
        this.allowCidrs = allowCidrs;
    }
}
