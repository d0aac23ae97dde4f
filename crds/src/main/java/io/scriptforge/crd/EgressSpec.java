package io.scriptforge.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.util.List;

/**
 * Where the pool's Scripts (their npm modules: axios, soap, stripe...) may send HTTP requests. Private,
 * loopback, link-local and cloud metadata addresses are refused unless {@code allowCidrs} names them;
 * public addresses are allowed unless {@code allowHosts} restricts the names.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = JsonDeserializer.None.class)
@ValidationRule(value = "!has(self.allowHosts) || self.allowHosts.all(h, h.matches('" + EgressSpec.HOST_PATTERN + "'))",
        message = "spec.egress.allowHosts: host names (api.example.com), subdomain wildcards (*.example.com) or IP addresses",
        fieldPath = ".allowHosts")
@ValidationRule(value = "!has(self.allowCidrs) || self.allowCidrs.all(c, c.matches('" + EgressSpec.CIDR_PATTERN + "'))",
        message = "spec.egress.allowCidrs: address ranges such as 10.0.0.0/8, 192.168.1.10 or fd00::/8",
        fieldPath = ".allowCidrs")
public class EgressSpec implements KubernetesResource {
    static final String HOST_PATTERN = "^(\\\\*\\\\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^[0-9A-Fa-f:.]+$";
    static final String CIDR_PATTERN = "^[0-9A-Fa-f:.]+(/[0-9]{1,3})?$";

    private List<String> allowHosts;
    private List<String> allowCidrs;

    /** Host names requests may go to: exact names, or {@code *.example.com} for its subdomains. Unset: any name. */
    public List<String> getAllowHosts() { return allowHosts; }
    public void setAllowHosts(List<String> allowHosts) { this.allowHosts = allowHosts; }
    /** Address ranges allowed even though private (a database in the cluster, a partner's VPN): {@code 10.1.0.0/16}. */
    public List<String> getAllowCidrs() { return allowCidrs; }
    public void setAllowCidrs(List<String> allowCidrs) { this.allowCidrs = allowCidrs; }
}
