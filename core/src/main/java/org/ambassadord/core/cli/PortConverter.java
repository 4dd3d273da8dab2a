package org.ambassadord.core.cli;

import com.beust.jcommander.IStringConverter;
import com.beust.jcommander.ParameterException;

/** A TCP port, 0 to 65535 (0 asks the system for a free one). */
public final class PortConverter implements IStringConverter<Integer> {

    private final String optionName;

    public PortConverter(String optionName) {
        this.optionName = optionName;
    }

    @Override
    public Integer convert(String value) {
        try {
            int port = Integer.parseInt(value.strip());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ParameterException(optionName + " [" + value + "] is not a port (0-65535)");
    }
}
