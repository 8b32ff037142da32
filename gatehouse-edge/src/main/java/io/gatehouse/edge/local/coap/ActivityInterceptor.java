package io.gatehouse.edge.local.coap;

import org.eclipse.californium.core.coap.EmptyMessage;
import org.eclipse.californium.core.coap.Message;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.interceptors.MessageInterceptorAdapter;

/** Tells {@link LeafPresence} about every message a configured leaf sends: requests and its ACKs or RSTs. */
final class ActivityInterceptor extends MessageInterceptorAdapter {
  private final LeafPresence presence;
  private final LeafPsks psks;

  ActivityInterceptor(LeafPresence presence, LeafPsks psks) {
    this.presence = presence;
    this.psks = psks;
  }

  @Override
  public void receiveRequest(Request request) {
    seen(request);
  }

  @Override
  public void receiveEmptyMessage(EmptyMessage message) {
    seen(message);
  }

  private void seen(Message message) {
    LeafIdentity.of(message.getSourceContext()).filter(psks::knows)
        .ifPresent(leafId -> presence.seen(leafId, message.getSourceContext().getPeerAddress()));
  }
}
