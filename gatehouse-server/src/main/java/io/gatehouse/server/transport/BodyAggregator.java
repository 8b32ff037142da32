package io.gatehouse.server.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/**
 * Collects a request and its body into one message, up to the body limit. A body that grows past
 * the limit (chunked; a declared length is checked earlier) is refused with 413 rather than Netty's
 * bare 413, so the client gets a problem document and the refusal is audited like the others.
 */
final class BodyAggregator extends HttpObjectAggregator {
  BodyAggregator(int maxBodyBytes) {
    // closeOnExpectationFailed: after refusing an "Expect:" the client may send a body anyway.
    super(maxBodyBytes, true);
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    // The aggregator releases 'oversized' and drops the rest of this body itself.
    ctx.fireChannelRead(Refusal.contentTooLarge("the request body exceeds the limit of " + maxContentLength()
        + " bytes", "chunked body over the limit of " + maxContentLength() + " bytes"));
  }
}
