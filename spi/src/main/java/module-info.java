/**
 * The service-provider interface of ambassadord.
 *
 * <p>A plugin module {@code requires org.ambassadord.spi} and {@code provides} one or more of
 * {@link org.ambassadord.spi.BackendProvider}, {@link org.ambassadord.spi.NetworkSetup} and
 * {@link org.ambassadord.spi.OriginalDestinationLookup}. It never requires the core module.
 */
module org.ambassadord.spi {
    exports org.ambassadord.spi;
}
