/**
 * DNS SRV backends for ambassadord: {@code srv://name[?dns=host:port]}, or a bare DNS name
 * such as {@code redis.service.consul}.
 *
 * <p>Answers are looked up with dnsjava in the background, cached for their TTL and handed
 * out in RFC 2782 order (lowest priority first, weighted random within a priority). The
 * implementation package is not exported: the provider is reached through
 * {@link java.util.ServiceLoader} only.
 */
module org.ambassadord.plugin.srv {
    requires org.ambassadord.spi;
    requires org.dnsjava;
    requires org.tinylog.api;

    provides org.ambassadord.spi.BackendProvider with org.ambassadord.plugin.srv.SrvProvider;
}
