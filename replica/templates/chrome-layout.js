
	getLayoutRelativeControlPanelURL: function() { return '{{ control_panel }}'; },
	getParentLayoutId: function() { return '0'; },
	isControlPanel: function() { return false; },
	isVirtualLayout: function() { return false; },