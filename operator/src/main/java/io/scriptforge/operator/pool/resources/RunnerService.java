package io.scriptforge.operator.pool.resources;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.scriptforge.crd.RunnerPool;

/** The Service that spreads invocations over a pool's runner pods (any runner serves any Script of the pool). */
public final class RunnerService {
    private RunnerService() {}

    public static Service desired(RunnerPool pool) {
        return new ServiceBuilder()
                .withMetadata(RunnerPoolNames.metadata(pool))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(RunnerPoolNames.selector(pool))
                .addNewPort()
                .withName(RunnerPoolNames.HTTP_PORT_NAME)
                .withPort(RunnerPoolNames.SERVICE_PORT)
                .withNewTargetPort(RunnerPoolNames.HTTP_PORT_NAME)
                .withProtocol("TCP")
                .endPort()
                .endSpec()
                .build();
    }
}
